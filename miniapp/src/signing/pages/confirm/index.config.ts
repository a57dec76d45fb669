export default definePageConfig({ navigationBarTitleText: '签约协议' });
