// Main package: the tab pages only. Each feature area is a subpackage (WeChat limits the main
// package and each subpackage to 2 MB).
export default defineAppConfig({
  pages: ['pages/index/index'],
  subPackages: [
    { root: 'catalog', pages: ['pages/index/index'] },
    // Residents: login, privacy notice, real-name identity, household members.
    { root: 'identity', pages: ['pages/login/index', 'pages/privacy/index', 'pages/realname/index', 'pages/members/index', 'pages/member/index'] },
    // The clinic console (staff, used on H5): login and home; feature pages are added here.
    { root: 'console', pages: ['pages/login/index', 'pages/home/index', 'pages/tips/index', 'pages/rota/index', 'pages/clinic-day/index', 'pages/services/index', 'pages/reports/index', 'pages/complaints/index', 'pages/register/index'] },
    // Signing (issue 5): team → packages (household quote) → agreement → pay; 我的签约 with renew/change/terminate.
    { root: 'signing', pages: ['pages/team/index', 'pages/packages/index', 'pages/confirm/index', 'pages/pay/index', 'pages/mine/index', 'pages/terminate/index'] },
    // Health knowledge (issue 7): the resident's tips (read/unread) and the 订阅健康提醒 button.
    { root: 'health', pages: ['pages/index/index', 'pages/detail/index'] },
    // Appointments (issue 6): the signed team's clinic week view and booking; 我的预约 with cancel and reminders.
    { root: 'appointments', pages: ['pages/index/index', 'pages/mine/index'] },
    // Fulfilment progress (issue 8): promised vs delivered, ratings, complaints, who read my data.
    { root: 'progress', pages: ['pages/index/index'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#0a7f6f',
    navigationBarTitleText: '家医',
    navigationBarTextStyle: 'white',
  },
});
