export default definePageConfig({ navigationBarTitleText: '家医工作台' });
