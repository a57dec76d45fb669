// Main package: the tab pages only. Each feature area is a subpackage (WeChat limits the main
// package and each subpackage to 2 MB).
export default defineAppConfig({
  pages: ['pages/index/index'],
  subPackages: [
    { root: 'catalog', pages: ['pages/index/index'] },
    // Residents: login, privacy notice, real-name identity, household members.
    { root: 'identity', pages: ['pages/login/index', 'pages/privacy/index', 'pages/realname/index', 'pages/members/index', 'pages/member/index'] },
    // The clinic console (staff, used on H5): login and home; feature pages are added here.
    { root: 'console', pages: ['pages/login/index', 'pages/home/index'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#0a7f6f',
    navigationBarTitleText: '家医',
    navigationBarTextStyle: 'white',
  },
});
