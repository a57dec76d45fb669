/**
 * Signing API calls (GitHub issue 5) used by the `signing` subpackage. Every response is checked
 * with the shared contract (shared/src/schemas/agreements.ts, teams.ts, residents.ts).
 */
import Taro from '@tarojs/taro';
import {
  agreementDocument,
  agreementListResponse,
  agreementView,
  eligiblePackagesResponse,
  meQuoteResponse,
  payResponse,
  refundPreviewResponse,
  type MeQuoteBody,
  type SignBody,
  type TerminateBody,
} from '@jiayi/shared/schemas/agreements';
import { institutionsResponse, teamsResponse } from '@jiayi/shared/schemas/teams';
import { meResponse, membersResponse, type MeResponse } from '@jiayi/shared/schemas/residents';
import { regionSummaryListSchema } from '@jiayi/shared/schemas/policy';
import { api, ApiError, getToken } from '../api/client';

export const IS_H5 = process.env.TARO_ENV === 'h5';
export const DEFAULT_REGION = 'liyang-2019';

const enc = encodeURIComponent;

export const getRegions = () => api('GET', '/regions', { schema: regionSummaryListSchema });
export const getInstitutions = (regionId: string) => api('GET', '/institutions', { query: { regionId }, schema: institutionsResponse });
export const getTeams = (institutionId: string) => api('GET', '/teams', { query: { institutionId }, schema: teamsResponse });

export const getMe = () => api('GET', '/me', { schema: meResponse });
export const getMembers = () => api('GET', '/me/members', { schema: membersResponse });
export const getEligible = (memberId: string, regionId: string) =>
  api('GET', `/members/${enc(memberId)}/eligible-packages`, { query: { regionId }, schema: eligiblePackagesResponse });
export const quote = (body: MeQuoteBody) => api('POST', '/me/quote', { body, schema: meQuoteResponse });

/** The agreement text shown before signing (template, no members yet). */
export const getAgreementText = (regionId: string) => api('GET', '/agreement-text', { query: { regionId }, schema: agreementDocument });
export const getDocument = (id: string) => api('GET', `/agreements/${enc(id)}/document`, { schema: agreementDocument });

export const sign = (body: SignBody) => api('POST', '/agreements', { body, schema: agreementView });
export const getAgreement = (id: string) => api('GET', `/agreements/${enc(id)}`, { schema: agreementView });
export const myAgreements = () => api('GET', '/agreements', { schema: agreementListResponse });
export const pay = (id: string) => api('POST', `/agreements/${enc(id)}/pay`, { schema: payResponse });
/** Simulated provider only (local stack / H5 demo): confirms the payment as WeChat Pay's notify would. */
export const simulatePayment = (id: string) => api<unknown>('POST', `/payments/simulate/${enc(id)}`, { body: {} });
export const renew = (id: string, idempotencyKey: string) => api('POST', `/agreements/${enc(id)}/renew`, { body: { idempotencyKey }, schema: agreementView });
export const changeTeam = (id: string, teamId: string, reason: string) =>
  api('POST', `/agreements/${enc(id)}/change-team`, { body: { teamId, reason }, schema: agreementView });
export const refundPreview = (id: string, reason?: string) =>
  api('GET', `/agreements/${enc(id)}/refund-preview`, { query: { reason }, schema: refundPreviewResponse });
export const terminate = (id: string, body: TerminateBody) => api('POST', `/agreements/${enc(id)}/terminate`, { body, schema: agreementView });

export const PAGES = {
  team: '/signing/pages/team/index',
  packages: '/signing/pages/packages/index',
  confirm: '/signing/pages/confirm/index',
  pay: '/signing/pages/pay/index',
  mine: '/signing/pages/mine/index',
  terminate: '/signing/pages/terminate/index',
  // identity subpackage (miniapp/src/identity/api.ts PAGES)
  login: '/identity/pages/login/index',
  privacy: '/identity/pages/privacy/index',
  realname: '/identity/pages/realname/index',
  members: '/identity/pages/members/index',
  member: '/identity/pages/member/index',
} as const;

/** Where a resident who cannot sign yet must go first (login → privacy → real name), or null. */
export function identityGate(me: MeResponse): string | null {
  if (!me.privacy.accepted) return PAGES.privacy;
  if (!me.identity?.idNumberMasked) return PAGES.realname;
  return null;
}

/**
 * Loads /me and sends a resident who is not logged in or has not finished identity to the
 * identity pages. Resolves to the account, or null when the page was redirected.
 */
export async function requireIdentity(): Promise<MeResponse | null> {
  if (!getToken()) {
    await Taro.redirectTo({ url: PAGES.login });
    return null;
  }
  try {
    const me = await getMe();
    const next = identityGate(me);
    if (next) {
      await Taro.redirectTo({ url: next });
      return null;
    }
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      await Taro.redirectTo({ url: PAGES.login });
      return null;
    }
    throw e;
  }
}

export function errorText(e: unknown, fallback = '服务暂时不可用，请稍后再试'): string {
  return e instanceof ApiError ? e.message : fallback;
}

/** A fresh client key for one "sign"/"renew" attempt (reused verbatim when the same attempt is retried). */
export function newIdempotencyKey(): string {
  const rnd = () => Math.random().toString(36).slice(2, 10);
  return `k${Date.now().toString(36)}${rnd()}${rnd()}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
}
