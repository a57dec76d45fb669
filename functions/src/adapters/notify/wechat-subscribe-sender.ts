/**
 * WeChat mini-program subscribe messages (subscribeMessage.send):
 *
 *   access token, default "stable" mode:
 *     POST {baseUrl}/cgi-bin/stable_token {grant_type:'client_credential', appid, secret, force_refresh}
 *   or "classic" mode:
 *     GET  {baseUrl}/cgi-bin/token?grant_type=client_credential&appid=…&secret=…
 *     → { access_token, expires_in }  or  { errcode, errmsg }
 *   send:
 *     POST {baseUrl}/cgi-bin/message/subscribe/send?access_token=…
 *       { touser, template_id, page, data, miniprogram_state, lang: 'zh_CN' }
 *     → { errcode: 0, errmsg: 'ok' }  or  { errcode, errmsg }
 *
 * The token is cached per instance until 5 minutes before `expires_in`. On 40001/42001/40014
 * (token invalid/expired) it is refreshed once and the send retried once. Stable mode is the
 * default because every Lambda instance holds its own cache: a classic `/cgi-bin/token` call
 * issues a new token and starts the 5-minute expiry of the previous one, so instances would keep
 * invalidating each other; `stable_token` hands all of them the same token.
 *
 * The secret and the token travel in the request (query or body): neither the URL nor a body
 * ever reaches a log line or a result.
 */
import type { FieldIssue } from '@jiayi/shared/domain/errors';
import { log } from '../../lib/log';
import {
  OPENID_RE,
  type MiniprogramState,
  type SubscribeFailureReason,
  type SubscribeMessage,
  type SubscribeMessageSender,
  type SubscribeSendResult,
} from './subscribe-message';
import { validateTemplateData } from './template-data';

export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';
/** Refresh this long before WeChat's stated expiry. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export interface WechatSubscribeSenderConfig {
  appId: string;
  appSecret: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Clock for the token cache. Default: the system clock. */
  now?: () => Date;
  /** 'stable' (POST /cgi-bin/stable_token, default) or 'classic' (GET /cgi-bin/token). */
  tokenMode?: 'stable' | 'classic';
  /** Used when a message does not say; default 'formal'. */
  defaultMiniprogramState?: MiniprogramState;
  /** Abort a call after this long (default 5000 ms). */
  timeoutMs?: number;
  warn?: (msg: string, fields: Record<string, unknown>) => void;
}

type Failure = Extract<SubscribeSendResult, { ok: false }>;

const TOKEN_ERRCODES = new Set([40001, 42001, 40014]);

function fail(reason: SubscribeFailureReason, errcode: number | null, retryable: boolean, errmsg?: string, issues?: FieldIssue[]): Failure {
  const f: Failure = { ok: false, reason, errcode, retryable };
  if (errmsg) f.errmsg = errmsg.slice(0, 200);
  if (issues) f.issues = issues;
  return f;
}

/** errcodes of subscribeMessage.send (and token calls) → result. */
function sendFailure(errcode: number, errmsg?: string): Failure {
  switch (errcode) {
    case 43101: // user refused / no remaining subscription
      return fail('user_refused', errcode, false, errmsg);
    case 47003: // template data invalid
    case 40037: // template_id invalid
    case 41030: // page invalid (not published / not in this build)
      return fail('bad_template_data', errcode, false, errmsg);
    case 40003: // touser invalid
      return fail('invalid_openid', errcode, false, errmsg);
    case 45009: // API call quota reached
    case 45011: // API minute quota reached
      return fail('rate_limited', errcode, true, errmsg);
    case -1: // system busy
      return fail('upstream', errcode, true, errmsg);
    default:
      return fail('upstream', errcode, false, errmsg);
  }
}

/** errcodes of the token endpoints → result. */
function tokenFailure(errcode: number, errmsg?: string): Failure {
  switch (errcode) {
    case -1:
      return fail('upstream', errcode, true, errmsg);
    case 45009:
    case 45011:
      return fail('rate_limited', errcode, true, errmsg);
    default:
      // 40001/40125 bad secret, 40013 bad appid, 40164 IP not whitelisted, 40243 secret frozen,
      // 89503 risky IP: our configuration — retrying will not help.
      return fail('token_invalid', errcode, false, errmsg);
  }
}

interface CachedToken {
  token: string;
  /** Epoch ms after which we stop using it (WeChat expiry − 5 minutes). */
  useUntil: number;
}

class CallFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.reason);
  }
}

export class WechatSubscribeMessageSender implements SubscribeMessageSender {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly warn: (msg: string, fields: Record<string, unknown>) => void;
  private cached: CachedToken | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly config: WechatSubscribeSenderConfig) {
    if (!config.appId || !config.appSecret) throw new Error('WechatSubscribeMessageSender needs appId and appSecret');
    this.baseUrl = (config.baseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, '');
    this.fetch = config.fetch ?? globalThis.fetch;
    this.now = config.now ?? (() => new Date());
    this.timeoutMs = config.timeoutMs ?? 5000;
    this.warn = config.warn ?? log.warn;
  }

  async send(message: SubscribeMessage): Promise<SubscribeSendResult> {
    if (typeof message.openid !== 'string' || !OPENID_RE.test(message.openid)) {
      return fail('invalid_openid', null, false, undefined, [{ path: 'openid', message: '用户标识无效' }]);
    }
    const issues = validateTemplateData(message.data);
    if (typeof message.templateId !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(message.templateId)) {
      issues.unshift({ path: 'templateId', message: '模板ID无效' });
    }
    if (typeof message.page !== 'string' || message.page.length > 1024 || /\s/.test(message.page)) {
      issues.unshift({ path: 'page', message: '跳转页面无效' });
    }
    if (issues.length) return fail('bad_template_data', null, false, undefined, issues);

    const body = JSON.stringify({
      touser: message.openid,
      template_id: message.templateId,
      page: message.page,
      data: message.data,
      miniprogram_state: message.miniprogramState ?? this.config.defaultMiniprogramState ?? 'formal',
      lang: 'zh_CN',
    });

    try {
      let token = await this.token();
      let answer = await this.post(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, body, 'send');
      if (TOKEN_ERRCODES.has(answer.errcode)) {
        // Another instance may have refreshed it, or it expired early: refresh once, retry once.
        token = await this.token(token);
        answer = await this.post(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, body, 'send');
        if (TOKEN_ERRCODES.has(answer.errcode)) {
          this.cached = undefined;
          this.warn('wechat subscribe send: token rejected after refresh', { errcode: answer.errcode, errmsg: answer.errmsg });
          return fail('token_invalid', answer.errcode, true, answer.errmsg);
        }
      }
      if (answer.errcode === 0) return { ok: true };
      const f = sendFailure(answer.errcode, answer.errmsg);
      if (f.reason === 'upstream' || f.reason === 'bad_template_data') {
        this.warn('wechat subscribe send error', { errcode: answer.errcode, errmsg: f.errmsg, templateId: message.templateId });
      }
      return f;
    } catch (e) {
      if (e instanceof CallFailure) return e.failure;
      throw e;
    }
  }

  /**
   * A usable token. With `rejected`, the caller saw that token refused: drop it and fetch again
   * (in stable mode, force a refresh only if WeChat hands the same token back).
   */
  private async token(rejected?: string): Promise<string> {
    if (rejected !== undefined) {
      if (this.cached?.token === rejected) this.cached = undefined;
    }
    const nowMs = this.now().getTime();
    if (this.cached && nowMs < this.cached.useUntil) return this.cached.token;
    // One fetch at a time per instance; concurrent sends wait for the same answer.
    this.pending ??= this.fetchToken(rejected).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(rejected?: string): Promise<string> {
    let t = await this.requestToken(false);
    if (rejected !== undefined && t.token === rejected && (this.config.tokenMode ?? 'stable') === 'stable') {
      t = await this.requestToken(true);
    }
    const useUntil = this.now().getTime() + Math.max(0, t.expiresIn * 1000 - TOKEN_REFRESH_MARGIN_MS);
    this.cached = { token: t.token, useUntil };
    return t.token;
  }

  private async requestToken(forceRefresh: boolean): Promise<{ token: string; expiresIn: number }> {
    const { appId, appSecret } = this.config;
    const answer =
      (this.config.tokenMode ?? 'stable') === 'stable'
        ? await this.post(
            '/cgi-bin/stable_token',
            JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh }),
            'token',
          )
        : await this.get(
            `/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}`,
            'token',
          );
    if (answer.errcode !== 0) {
      this.warn('wechat access token error', { errcode: answer.errcode, errmsg: answer.errmsg });
      throw new CallFailure(tokenFailure(answer.errcode, answer.errmsg));
    }
    const token = answer.body.access_token;
    const expiresIn = Number(answer.body.expires_in);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      this.warn('wechat access token unexpected response', { keys: Object.keys(answer.body).filter((k) => k !== 'access_token') });
      throw new CallFailure(fail('upstream', null, true));
    }
    return { token, expiresIn };
  }

  private post(pathWithQuery: string, body: string, what: 'send' | 'token') {
    return this.call(pathWithQuery, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } }, what);
  }

  private get(pathWithQuery: string, what: 'send' | 'token') {
    return this.call(pathWithQuery, { method: 'GET' }, what);
  }

  /** One HTTP call; WeChat answers 200 with `errcode` for its own errors, often as text/plain. */
  private async call(
    pathWithQuery: string,
    init: RequestInit,
    what: 'send' | 'token',
  ): Promise<{ errcode: number; errmsg?: string; body: Record<string, unknown> }> {
    let text: string;
    try {
      const res = await this.fetch(`${this.baseUrl}${pathWithQuery}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) {
        this.warn(`wechat ${what} HTTP error`, { status: res.status });
        throw new CallFailure(fail('upstream', null, res.status >= 500 || res.status === 429));
      }
      text = await res.text();
    } catch (e) {
      if (e instanceof CallFailure) throw e;
      // The error may quote the URL (token or secret): keep only its name.
      this.warn(`wechat ${what} unreachable`, { error: e instanceof Error ? e.name : typeof e });
      throw new CallFailure(fail('upstream', null, true));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.warn(`wechat ${what} non-JSON response`, { length: text.length });
      throw new CallFailure(fail('upstream', null, true));
    }
    const body = parsed as Record<string, unknown>;
    const raw = body.errcode;
    const errcode = raw === undefined || raw === null ? 0 : Number(raw);
    const errmsg = typeof body.errmsg === 'string' ? body.errmsg.slice(0, 200) : undefined;
    return { errcode: Number.isFinite(errcode) ? errcode : -2, errmsg, body };
  }
}
