/**
 * SMS (opt-in: consent purpose `sms`). The SMS vendor is chosen per deployment (each region's
 * operator has its own contract and signature/templates filed with the carriers), so the Lambda
 * does not speak any vendor's protocol. It talks to a small per-deployment gateway — a relay
 * that owns the vendor credentials — over this documented, vendor-neutral contract:
 *
 *   POST {SMS_GATEWAY_URL}
 *   Content-Type: application/json
 *   X-Jiayi-Key-Id:    <key id>
 *   X-Jiayi-Timestamp: <unix seconds>
 *   X-Jiayi-Nonce:     <32 hex characters>
 *   X-Jiayi-Signature: base64(HMAC-SHA256(secret, `${timestamp}\n${nonce}\n${body}\n`))
 *
 *   { "requestId": "…", "mobile": "13800138000", "templateCode": "FOLLOW_UP_REMINDER",
 *     "params": { "name": "张三", "date": "3月10日" } }
 *
 *   → 2xx { "ok": true, "messageId": "…" }
 *   → 2xx/4xx/5xx { "ok": false, "code": "INVALID_MOBILE" | "TEMPLATE_PARAMS" | "UNSUBSCRIBED"
 *                   | "RATE_LIMITED" | "AUTH" | …, "message": "…", "retryable"?: boolean }
 *
 * The gateway must reject a signature older than 5 minutes or a repeated nonce, and should treat
 * `requestId` as an idempotency key (a retried send with the same id is sent once).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { log } from '../../lib/log';

export interface SmsMessage {
  /** Mainland mobile number, 11 digits. */
  mobile: string;
  /** The deployment's template name; the gateway maps it to the vendor's template id. */
  templateCode: string;
  params: Record<string, string>;
  /**
   * Idempotency key for the gateway; default: a random id per call. Pass a stable one (e.g. the
   * notification's id) so that retrying a `retryable` failure cannot send the text twice.
   */
  requestId?: string;
}

export type SmsFailureReason = 'user_refused' | 'bad_template_data' | 'invalid_mobile' | 'rate_limited' | 'auth_failed' | 'upstream';

export type SmsSendResult =
  | { ok: true; messageId?: string }
  | {
      ok: false;
      reason: SmsFailureReason;
      /** The gateway's code; null when it gave none (checked locally, network, HTTP error). */
      errcode: string | null;
      retryable: boolean;
      errmsg?: string;
    };

export interface SmsSender {
  send(message: SmsMessage): Promise<SmsSendResult>;
}

type Failure = Extract<SmsSendResult, { ok: false }>;

export const MAINLAND_MOBILE_RE = /^1[3-9]\d{9}$/;

/** `138****5678`, for logs. */
export function maskMobile(mobile: string): string {
  return mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '****';
}

/** Checks shared by every SmsSender, so local runs refuse what the gateway would. */
export function checkSmsMessage(m: SmsMessage): Failure | null {
  if (typeof m.mobile !== 'string' || !MAINLAND_MOBILE_RE.test(m.mobile)) {
    return { ok: false, reason: 'invalid_mobile', errcode: null, retryable: false, errmsg: '手机号码无效' };
  }
  const paramsOk =
    m.params !== null &&
    typeof m.params === 'object' &&
    !Array.isArray(m.params) &&
    Object.entries(m.params).every(([k, v]) => /^\w{1,64}$/.test(k) && typeof v === 'string' && v.length <= 200 && !/\p{Cc}/u.test(v));
  if (typeof m.templateCode !== 'string' || !/^[\w.-]{1,64}$/.test(m.templateCode) || !paramsOk) {
    return { ok: false, reason: 'bad_template_data', errcode: null, retryable: false, errmsg: '短信模板或参数无效' };
  }
  return null;
}

const CODE_REASONS: Record<string, { reason: SmsFailureReason; retryable: boolean }> = {
  INVALID_MOBILE: { reason: 'invalid_mobile', retryable: false },
  TEMPLATE_PARAMS: { reason: 'bad_template_data', retryable: false },
  TEMPLATE_NOT_FOUND: { reason: 'bad_template_data', retryable: false },
  UNSUBSCRIBED: { reason: 'user_refused', retryable: false },
  BLACKLISTED: { reason: 'user_refused', retryable: false },
  RATE_LIMITED: { reason: 'rate_limited', retryable: true },
  AUTH: { reason: 'auth_failed', retryable: false },
};

export interface HttpSmsSenderConfig {
  url: string;
  keyId: string;
  /** HMAC key, at least 32 bytes. */
  secret: string;
  fetch?: typeof fetch;
  /** Clock for X-Jiayi-Timestamp. Default: the system clock. */
  now?: () => Date;
  nonce?: () => string;
  timeoutMs?: number;
  warn?: (msg: string, fields: Record<string, unknown>) => void;
}

export function smsSignatureMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function signSmsRequest(secret: string, timestamp: string, nonce: string, body: string): string {
  return createHmac('sha256', secret).update(smsSignatureMessage(timestamp, nonce, body), 'utf8').digest('base64');
}

export class HttpSmsSender implements SmsSender {
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly nonce: () => string;
  private readonly timeoutMs: number;
  private readonly warn: (msg: string, fields: Record<string, unknown>) => void;

  constructor(private readonly config: HttpSmsSenderConfig) {
    if (!/^https:\/\//.test(config.url) && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(config.url)) {
      throw new Error('HttpSmsSender needs an https URL (http only for localhost)');
    }
    if (!config.keyId) throw new Error('HttpSmsSender needs a key id');
    if (Buffer.byteLength(config.secret ?? '', 'utf8') < 32) throw new Error('HttpSmsSender needs a secret of at least 32 bytes');
    this.fetch = config.fetch ?? globalThis.fetch;
    this.now = config.now ?? (() => new Date());
    this.nonce = config.nonce ?? (() => randomBytes(16).toString('hex'));
    this.timeoutMs = config.timeoutMs ?? 5000;
    this.warn = config.warn ?? log.warn;
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const invalid = checkSmsMessage(message);
    if (invalid) return invalid;

    const body = JSON.stringify({
      requestId: message.requestId ?? randomBytes(16).toString('hex'),
      mobile: message.mobile,
      templateCode: message.templateCode,
      params: message.params,
    });
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const nonce = this.nonce();
    const masked = maskMobile(message.mobile);

    let status: number;
    let text: string;
    try {
      const res = await this.fetch(this.config.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Jiayi-Key-Id': this.config.keyId,
          'X-Jiayi-Timestamp': timestamp,
          'X-Jiayi-Nonce': nonce,
          'X-Jiayi-Signature': signSmsRequest(this.config.secret, timestamp, nonce, body),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      this.warn('sms gateway unreachable', { mobile: masked, error: e instanceof Error ? e.name : typeof e });
      return { ok: false, reason: 'upstream', errcode: null, retryable: true };
    }

    let parsed: Record<string, unknown> | undefined;
    try {
      const p: unknown = JSON.parse(text);
      if (p && typeof p === 'object' && !Array.isArray(p)) parsed = p as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }

    if (status >= 200 && status < 300 && parsed?.ok === true) {
      return typeof parsed.messageId === 'string' ? { ok: true, messageId: parsed.messageId } : { ok: true };
    }

    const code = typeof parsed?.code === 'string' ? parsed.code : null;
    const errmsg = typeof parsed?.message === 'string' ? parsed.message.slice(0, 200) : undefined;
    const known = code ? CODE_REASONS[code] : undefined;
    let failure: Failure;
    if (known) failure = { ok: false, reason: known.reason, errcode: code, retryable: known.retryable };
    else if (status === 401 || status === 403) failure = { ok: false, reason: 'auth_failed', errcode: code, retryable: false };
    else if (status === 429) failure = { ok: false, reason: 'rate_limited', errcode: code, retryable: true };
    else {
      const retryable = typeof parsed?.retryable === 'boolean' ? parsed.retryable : status >= 500;
      failure = { ok: false, reason: 'upstream', errcode: code, retryable };
    }
    if (errmsg) failure.errmsg = errmsg;
    if (failure.reason !== 'user_refused' && failure.reason !== 'invalid_mobile') {
      this.warn('sms gateway error', { mobile: masked, status, code, message: errmsg, templateCode: message.templateCode });
    }
    return failure;
  }
}

/**
 * For a deployment without SMS: every send fails, not retryable, with errcode `SMS_DISABLED`
 * (honest, unlike a recorder, so it is allowed on prod).
 */
export class DisabledSmsSender implements SmsSender {
  async send(message: SmsMessage): Promise<SmsSendResult> {
    return checkSmsMessage(message) ?? { ok: false, reason: 'upstream', errcode: 'SMS_DISABLED', retryable: false, errmsg: '短信服务未开通' };
  }
}
