/** The staff console's session: token in its own storage slot, profile cached beside it. */
import Taro from '@tarojs/taro';
import { staffLoginResponse, staffView, type StaffView } from '@jiayi/shared/schemas/staff';
import * as z from 'zod';
import { api, getToken, setToken } from '../api/client';

const PROFILE_KEY = 'jiayi.staff-profile';

export async function staffLogin(username: string, password: string): Promise<StaffView> {
  const r = await api('POST', '/auth/staff', { body: { username, password }, schema: staffLoginResponse, realm: 'staff' });
  setToken(r.token, 'staff');
  Taro.setStorageSync(PROFILE_KEY, JSON.stringify(r.staff));
  return r.staff;
}

export function currentStaff(): StaffView | undefined {
  if (!getToken('staff')) return undefined;
  try {
    return staffView.parse(JSON.parse(Taro.getStorageSync(PROFILE_KEY) as string));
  } catch {
    return undefined;
  }
}

export async function refreshStaff(): Promise<StaffView> {
  const r = await api('GET', '/staff/me', { schema: z.object({ staff: staffView }), realm: 'staff' });
  Taro.setStorageSync(PROFILE_KEY, JSON.stringify(r.staff));
  return r.staff;
}

export function staffLogout(): void {
  setToken(undefined, 'staff');
  Taro.removeStorageSync(PROFILE_KEY);
}

/** Redirects to the console login when no staff session is held. */
export function requireStaff(): StaffView | undefined {
  const s = currentStaff();
  if (!s) void Taro.redirectTo({ url: '/console/pages/login/index' });
  return s;
}

/** Console pages: feature engineers add their entries here (label, page url, roles allowed). */
export const CONSOLE_ENTRIES: { label: string; url: string; roles?: string[]; testId: string }[] = [
  // Health-knowledge push (issue 7): author, approve and retire tips.
  { label: '健康知识库', url: '/console/pages/tips/index', testId: 'console-entry-tips' },
  // Signing-clinic appointments (issue 6): weekly rota and closed dates; the day's appointments and attendance.
  { label: '签约门诊排班', url: '/console/pages/rota/index', roles: ['team_doctor', 'team_assistant', 'institution_admin'], testId: 'console-entry-rota' },
  { label: '当日预约与就诊登记', url: '/console/pages/clinic-day/index', roles: ['team_doctor', 'team_assistant', 'institution_admin'], testId: 'console-entry-clinic-day' },
  // Fulfilment, reports, complaints, population register (issue 8).
  { label: '履约服务登记', url: '/console/pages/services/index', roles: ['team_doctor', 'team_assistant', 'institution_admin'], testId: 'console-entry-services' },
  { label: '统计报表', url: '/console/pages/reports/index', roles: ['institution_admin', 'region_admin'], testId: 'console-entry-reports' },
  { label: '投诉处理', url: '/console/pages/complaints/index', roles: ['institution_admin', 'region_admin'], testId: 'console-entry-complaints' },
  { label: '人口登记表', url: '/console/pages/register/index', roles: ['institution_admin', 'region_admin'], testId: 'console-entry-register' },
];
