export default definePageConfig({ navigationBarTitleText: '家医工作台 · 登录' });
