/**
 * WeChat mini-program login (auth.code2Session):
 *
 *   GET {baseUrl}/sns/jscode2session?appid=APPID&secret=SECRET&js_code=CODE&grant_type=authorization_code
 *   → { openid, session_key, unionid? }  or  { errcode, errmsg }
 *
 * WeChat answers HTTP 200 for its own errors (with `errcode`), and often with a `text/plain`
 * content type, so the body is read as text and parsed here. The app secret travels in the
 * query string: neither the URL nor the raw response ever reaches an error or a log line.
 */
import {
  ForbiddenError,
  RateLimitedError,
  UpstreamError,
  ValidationError,
  type DomainError,
} from '@jiayi/shared/domain/errors';
import { log } from '../../lib/log';
import type { IdentityProvider, WechatSession } from './identity-provider';

export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

export interface WechatIdentityProviderConfig {
  appId: string;
  appSecret: string;
  /** Default https://api.weixin.qq.com (override for a simulator). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Abort the call after this long (default 5000 ms); counted as WeChat unavailable. */
  timeoutMs?: number;
  /** Where unexpected WeChat answers are reported (default the structured log). */
  warn?: (msg: string, fields: Record<string, unknown>) => void;
}

const UNAVAILABLE = '微信登录服务暂时不可用，请稍后再试';
const CODE_INVALID = '登录凭证无效，请重新登录';

/** Documented errcodes → our typed errors. Anything else is an upstream failure (502). */
function errorFor(errcode: number): DomainError {
  switch (errcode) {
    case 40029: // invalid js_code
    case 40163: // js_code already used (observed; a code is single-use and valid 5 minutes)
      return new ValidationError({ path: 'code', message: CODE_INVALID }, CODE_INVALID, 'WECHAT_CODE_INVALID');
    case 45011: // API minute-quota reached
      return new RateLimitedError('登录过于频繁，请稍后再试', 'WECHAT_RATE_LIMITED');
    case 40226: // high-risk user, blocked by WeChat
      return new ForbiddenError('账号存在风险，暂时无法登录', 'WECHAT_RISKY_USER');
    case -1: // system busy
      return new UpstreamError('WECHAT_BUSY', '微信服务繁忙，请稍后再试');
    default: // e.g. 40013 invalid appid, 40125 invalid appsecret: our configuration
      return new UpstreamError('WECHAT_ERROR', UNAVAILABLE);
  }
}

export class WechatIdentityProvider implements IdentityProvider {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly warn: (msg: string, fields: Record<string, unknown>) => void;

  constructor(private readonly config: WechatIdentityProviderConfig) {
    if (!config.appId || !config.appSecret) throw new Error('WechatIdentityProvider needs appId and appSecret');
    this.baseUrl = config.baseUrl ?? WECHAT_API_BASE_URL;
    this.fetch = config.fetch ?? globalThis.fetch;
    this.timeoutMs = config.timeoutMs ?? 5000;
    this.warn = config.warn ?? log.warn;
  }

  async code2Session(code: string): Promise<WechatSession> {
    const jsCode = typeof code === 'string' ? code.trim() : '';
    // Reject what cannot be a wx.login() code before spending quota on it.
    if (!/^[\x21-\x7e]{1,256}$/.test(jsCode)) {
      throw new ValidationError({ path: 'code', message: CODE_INVALID }, CODE_INVALID, 'WECHAT_CODE_INVALID');
    }

    const url = new URL('/sns/jscode2session', this.baseUrl);
    url.searchParams.set('appid', this.config.appId);
    url.searchParams.set('secret', this.config.appSecret);
    url.searchParams.set('js_code', jsCode);
    url.searchParams.set('grant_type', 'authorization_code');

    let text: string;
    try {
      const res = await this.fetch(url, { method: 'GET', signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) {
        this.warn('wechat code2Session HTTP error', { status: res.status });
        throw new UpstreamError('WECHAT_HTTP_ERROR', UNAVAILABLE);
      }
      text = await res.text();
    } catch (e) {
      if (e instanceof UpstreamError) throw e;
      // Network failure or timeout. The error may quote the URL (with the secret): keep only its name.
      this.warn('wechat code2Session unreachable', { error: e instanceof Error ? e.name : typeof e });
      throw new UpstreamError('WECHAT_UNAVAILABLE', UNAVAILABLE);
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.warn('wechat code2Session non-JSON response', { length: text.length });
      throw new UpstreamError('WECHAT_BAD_RESPONSE', UNAVAILABLE);
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      this.warn('wechat code2Session unexpected response', { type: Array.isArray(body) ? 'array' : typeof body });
      throw new UpstreamError('WECHAT_BAD_RESPONSE', UNAVAILABLE);
    }

    const b = body as Record<string, unknown>;
    const errcode = b.errcode === undefined || b.errcode === null ? 0 : Number(b.errcode);
    if (errcode !== 0) {
      const err = errorFor(Number.isFinite(errcode) ? errcode : NaN);
      if (err instanceof UpstreamError) {
        // errmsg carries WeChat's request id (rid) — what their support asks for.
        this.warn('wechat code2Session error', { errcode: b.errcode, errmsg: typeof b.errmsg === 'string' ? b.errmsg.slice(0, 200) : undefined });
      }
      throw err;
    }

    const { openid, session_key: sessionKey, unionid } = b;
    if (typeof openid !== 'string' || openid === '' || typeof sessionKey !== 'string' || sessionKey === '') {
      this.warn('wechat code2Session response without openid/session_key', { keys: Object.keys(b).filter((k) => k !== 'session_key') });
      throw new UpstreamError('WECHAT_BAD_RESPONSE', UNAVAILABLE);
    }
    const session: WechatSession = { openid, sessionKey };
    if (typeof unionid === 'string' && unionid !== '') session.unionid = unionid;
    return session;
  }
}
