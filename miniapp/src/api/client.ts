/**
 * The mini-program's API client. Responses are parsed with the same zod schemas the handlers
 * use (shared/src/schemas), so a contract drift fails loudly here instead of rendering garbage.
 * Errors carry the server's Chinese message and field paths for inline display.
 */
import Taro from '@tarojs/taro';
import type { ZodType } from 'zod';

export interface ApiFieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: ApiFieldError[] = [],
  ) {
    super(message);
  }
  /** The message for one field path (e.g. `idNumber`), for inline form errors. */
  fieldMessage(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

/** Residents and staff (the clinic console) keep separate sessions. */
export type Realm = 'resident' | 'staff';
const TOKEN_KEYS: Record<Realm, string> = { resident: 'jiayi.session', staff: 'jiayi.staff-session' };

export function getToken(realm: Realm = 'resident'): string | undefined {
  try {
    return (Taro.getStorageSync(TOKEN_KEYS[realm]) as string) || undefined;
  } catch {
    return undefined;
  }
}

export function setToken(token: string | undefined, realm: Realm = 'resident'): void {
  if (token) Taro.setStorageSync(TOKEN_KEYS[realm], token);
  else Taro.removeStorageSync(TOKEN_KEYS[realm]);
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** Server clock minus device clock, from the last answer's x-server-time (0 until one is seen). */
let serverOffsetMs = 0;

function noteServerTime(header: Record<string, unknown> | undefined): void {
  const v = header && Object.entries(header).find(([k]) => k.toLowerCase() === 'x-server-time')?.[1];
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isNaN(t)) serverOffsetMs = t - Date.now();
}

/**
 * Now by the server's clock: "today" on a page is the server's today (a phone with a wrong date,
 * or the local stack run at another date with `npm start -- --date`), the device's until the
 * first answer.
 */
export function serverNow(): Date {
  return new Date(Date.now() + serverOffsetMs);
}

export async function api<T>(method: Method, path: string, opts: { body?: unknown; schema?: ZodType<T>; query?: Record<string, string | number | undefined>; realm?: Realm } = {}): Promise<T> {
  const qs = opts.query
    ? Object.entries(opts.query)
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&')
    : '';
  const url = `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
  const realm = opts.realm ?? 'resident';
  const token = getToken(realm);
  let res: Taro.request.SuccessCallbackResult<string | Record<string, unknown>>;
  try {
    res = await Taro.request({
      url,
      method,
      data: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      header: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      dataType: 'json',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  noteServerTime(res.header);
  const data = (typeof res.data === 'string' && res.data ? safeJson(res.data) : res.data) as
    | { error?: { code: string; message: string; fields?: ApiFieldError[] } }
    | undefined;
  if (res.statusCode >= 400) {
    const err = data?.error;
    if (res.statusCode === 401) setToken(undefined, realm);
    throw new ApiError(res.statusCode, err?.code ?? 'HTTP', err?.message ?? '服务暂时不可用，请稍后再试', err?.fields ?? []);
  }
  if (!opts.schema) return data as T;
  const parsed = opts.schema.safeParse(data);
  if (!parsed.success) throw new ApiError(res.statusCode, 'CONTRACT', '数据格式异常，请稍后再试');
  return parsed.data;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
