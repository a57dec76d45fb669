export default definePageConfig({ navigationBarTitleText: '签约门诊排班' });
