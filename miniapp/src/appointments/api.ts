/**
 * Appointment API calls (issue 6) used by the `appointments` subpackage; every response is
 * checked with the shared contract (shared/src/schemas/appointments.ts, messages.ts).
 */
import {
  appointmentResponse,
  appointmentsResponse,
  eligibilityResponse,
  slotsResponse,
  type BookBody,
} from '@jiayi/shared/schemas/appointments';
import { messageResponse, messagesResponse } from '@jiayi/shared/schemas/messages';
import Taro from '@tarojs/taro';
import { api, ApiError } from '../api/client';

const enc = encodeURIComponent;

export const getEligibility = () => api('GET', '/appointments/eligibility', { schema: eligibilityResponse });
export const getSlots = (teamId: string, from: string, to: string) => api('GET', '/slots', { query: { teamId, from, to }, schema: slotsResponse });
export const book = (body: BookBody) => api('POST', '/appointments', { body, schema: appointmentResponse });
export const myAppointments = () => api('GET', '/appointments', { schema: appointmentsResponse });
export const cancel = (id: string) => api('DELETE', `/appointments/${enc(id)}`, { schema: appointmentResponse });
export const myMessages = () => api('GET', '/me/messages', { schema: messagesResponse });
export const markRead = (id: string) => api('POST', `/me/messages/${enc(id)}/read`, { schema: messageResponse });

/**
 * On WeChat, asks at the booking tap for the reminder template (one-time subscription) and returns
 * a function that reports the answer to the credit ledger (POST /me/subscriptions, source
 * after_booking) once the booking went through. H5 has no subscribe messages: nothing is asked.
 */
export async function askReminderSubscription(templateId: string | null): Promise<() => Promise<void>> {
  if (process.env.TARO_ENV !== 'weapp' || !templateId) return async () => undefined;
  let accepted = false;
  try {
    const r = (await Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] } as never)) as unknown as Record<string, string>;
    accepted = r[templateId] === 'accept';
  } catch {
    return async () => undefined;
  }
  return async () => {
    await api('POST', '/me/subscriptions', { body: { templateId, accepted, source: 'after_booking' } }).catch(() => undefined);
  };
}

export const PAGES = {
  book: '/appointments/pages/index/index',
  mine: '/appointments/pages/mine/index',
  login: '/identity/pages/login/index',
  signing: '/signing/pages/team/index',
} as const;

export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : '服务暂时不可用，请稍后再试';
}

export function newIdempotencyKey(): string {
  return `ap-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

const WEEK = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** `11月26日 周四` for a LocalDate. */
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${m}月${d}日 ${WEEK[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]}`;
}

/** Asia/Shanghai `MM-DD HH:mm` of an instant. */
export function shanghaiTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
}
