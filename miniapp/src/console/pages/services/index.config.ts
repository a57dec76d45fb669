export default definePageConfig({ navigationBarTitleText: '履约服务登记' });
