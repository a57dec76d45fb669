/**
 * In-memory senders for the local stack and tests. They apply the same local checks as the real
 * senders (template data, openid, mobile), record what would have been sent, and can be told to
 * fail for given recipients. Refused on the prod stage (index.ts): nothing would reach anyone.
 */
import type { SubscribeFailureReason, SubscribeMessage, SubscribeMessageSender, SubscribeSendResult } from './subscribe-message';
import { OPENID_RE } from './subscribe-message';
import { checkSmsMessage, type SmsFailureReason, type SmsMessage, type SmsSendResult, type SmsSender } from './sms';
import { validateTemplateData } from './template-data';

/** The errcode WeChat would answer for each reason (for realistic failures). */
const SUBSCRIBE_ERRCODES: Record<SubscribeFailureReason, { errcode: number; retryable: boolean }> = {
  user_refused: { errcode: 43101, retryable: false },
  bad_template_data: { errcode: 47003, retryable: false },
  invalid_openid: { errcode: 40003, retryable: false },
  rate_limited: { errcode: 45009, retryable: true },
  token_invalid: { errcode: 40001, retryable: true },
  upstream: { errcode: -1, retryable: true },
};

export class RecordingSubscribeSender implements SubscribeMessageSender {
  /** Messages that were "delivered", in order. */
  readonly sent: SubscribeMessage[] = [];
  /** Every attempt with its result, in order. */
  readonly attempts: Array<{ message: SubscribeMessage; result: SubscribeSendResult }> = [];
  private readonly failures = new Map<string, SubscribeFailureReason>();

  /** Make every send to `openid` fail with `reason` (default: the user refused). */
  failFor(openid: string, reason: SubscribeFailureReason = 'user_refused'): this {
    this.failures.set(openid, reason);
    return this;
  }

  succeedFor(openid: string): this {
    this.failures.delete(openid);
    return this;
  }

  clear(): void {
    this.sent.length = 0;
    this.attempts.length = 0;
    this.failures.clear();
  }

  /** Delivered messages to one user. */
  sentTo(openid: string): SubscribeMessage[] {
    return this.sent.filter((m) => m.openid === openid);
  }

  async send(message: SubscribeMessage): Promise<SubscribeSendResult> {
    const result = this.decide(message);
    const copy = structuredClone(message);
    this.attempts.push({ message: copy, result });
    if (result.ok) this.sent.push(copy);
    return result;
  }

  private decide(message: SubscribeMessage): SubscribeSendResult {
    if (typeof message.openid !== 'string' || !OPENID_RE.test(message.openid)) {
      return { ok: false, reason: 'invalid_openid', errcode: null, retryable: false, issues: [{ path: 'openid', message: '用户标识无效' }] };
    }
    const issues = validateTemplateData(message.data);
    if (issues.length) return { ok: false, reason: 'bad_template_data', errcode: null, retryable: false, issues };
    const reason = this.failures.get(message.openid);
    if (reason) return { ok: false, reason, ...SUBSCRIBE_ERRCODES[reason] };
    return { ok: true };
  }
}

export class RecordingSmsSender implements SmsSender {
  readonly sent: SmsMessage[] = [];
  readonly attempts: Array<{ message: SmsMessage; result: SmsSendResult }> = [];
  private readonly failures = new Map<string, SmsFailureReason>();
  private seq = 0;

  /** Make every send to `mobile` fail with `reason` (default: the user unsubscribed). */
  failFor(mobile: string, reason: SmsFailureReason = 'user_refused'): this {
    this.failures.set(mobile, reason);
    return this;
  }

  succeedFor(mobile: string): this {
    this.failures.delete(mobile);
    return this;
  }

  clear(): void {
    this.sent.length = 0;
    this.attempts.length = 0;
    this.failures.clear();
  }

  sentTo(mobile: string): SmsMessage[] {
    return this.sent.filter((m) => m.mobile === mobile);
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const copy = structuredClone(message);
    let result: SmsSendResult;
    const invalid = checkSmsMessage(message);
    const reason = this.failures.get(message.mobile);
    if (invalid) result = invalid;
    else if (reason) {
      result = { ok: false, reason, errcode: `RECORDED_${reason.toUpperCase()}`, retryable: reason === 'rate_limited' || reason === 'upstream' };
    } else {
      this.seq += 1;
      result = { ok: true, messageId: `recorded-${this.seq}` };
    }
    this.attempts.push({ message: copy, result });
    if (result.ok) this.sent.push(copy);
    return result;
  }
}
