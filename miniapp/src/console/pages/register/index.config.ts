export default definePageConfig({ navigationBarTitleText: '人口登记表' });
