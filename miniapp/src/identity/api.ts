/**
 * Residents API calls used by the identity subpackage. Responses are checked with the shared
 * schemas (api/client.ts); errors carry the server's Chinese message and field paths.
 */
import Taro from '@tarojs/taro';
import {
  authWechatResponse,
  meResponse,
  memberResponse,
  privacyStateResponse,
  type MeResponse,
} from '@jiayi/shared/schemas/residents';
import { api, setToken } from '../api/client';

export const IS_H5 = process.env.TARO_ENV === 'h5';

/** The login code: wx.login() on WeChat; on H5 the dev provider's `dev:<name>` typed by the user. */
export async function loginCode(devName: string): Promise<string> {
  if (IS_H5) {
    const n = devName.trim();
    return n.startsWith('dev:') ? n : `dev:${n}`;
  }
  const r = await Taro.login();
  return r.code;
}

export async function login(code: string) {
  const r = await api('POST', '/auth/wechat', { body: { code }, schema: authWechatResponse });
  setToken(r.token);
  return r;
}

export const getMe = () => api('GET', '/me', { schema: meResponse });
export const acceptPrivacy = (version: string) => api('POST', '/me/privacy', { body: { version }, schema: privacyStateResponse });
export const decideConsent = (body: { purpose: string; version: string; action: 'grant' | 'withdraw'; memberId?: string }) =>
  api('POST', '/me/consents', { body, schema: meResponse });
export const saveIdentity = (body: unknown) => api('PUT', '/me/identity', { body, schema: meResponse });
export const addMember = (body: unknown) => api('POST', '/me/members', { body, schema: memberResponse });
export const updateMember = (memberId: string, body: unknown) => api('PUT', `/me/members/${encodeURIComponent(memberId)}`, { body, schema: memberResponse });
export const removeMember = (memberId: string) => api<unknown>('DELETE', `/me/members/${encodeURIComponent(memberId)}`);

export const PAGES = {
  login: '/identity/pages/login/index',
  privacy: '/identity/pages/privacy/index',
  realname: '/identity/pages/realname/index',
  members: '/identity/pages/members/index',
  member: '/identity/pages/member/index',
} as const;

/** Where a resident goes next: the notice, then real-name identity, then the household. */
export function nextPage(me: MeResponse): string {
  if (!me.privacy.accepted) return PAGES.privacy;
  if (!me.identity?.idNumberMasked) return PAGES.realname;
  return PAGES.members;
}

export const SEX_TEXT = { M: '男', F: '女' } as const;
