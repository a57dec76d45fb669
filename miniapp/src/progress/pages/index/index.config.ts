export default definePageConfig({ navigationBarTitleText: '履约进度' });
