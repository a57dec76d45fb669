/**
 * Mini-program subscribe messages (订阅消息): the health-push and signing features notify a
 * resident who has accepted a template via `wx.requestSubscribeMessage`. Real implementation:
 * wechat-subscribe-sender.ts; local/tests: RecordingSubscribeSender (recording-senders.ts).
 *
 * `send` never throws for an outcome WeChat can report: it returns a result the caller stores
 * (a one-time subscription is spent only on success) and retries only when `retryable`.
 */
import type { FieldIssue } from '@jiayi/shared/domain/errors';

export type MiniprogramState = 'developer' | 'trial' | 'formal';

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** Mini-program page opened from the message, e.g. `pages/health/detail?id=1`. */
  page: string;
  /** Template fields, e.g. `{ thing1: { value: '高血压随访' }, time2: { value: '2025年3月10日 10:00' } }`. */
  data: Record<string, { value: string }>;
  /** Which build the message opens; default `formal` (or the sender's configured default). */
  miniprogramState?: MiniprogramState;
}

export type SubscribeFailureReason = 'user_refused' | 'bad_template_data' | 'invalid_openid' | 'rate_limited' | 'token_invalid' | 'upstream';

export type SubscribeSendResult =
  | { ok: true }
  | {
      ok: false;
      reason: SubscribeFailureReason;
      /** WeChat's errcode; null when WeChat gave none (checked locally, network, HTTP error). */
      errcode: number | null;
      retryable: boolean;
      /** WeChat's errmsg (carries its `rid`), for the log. */
      errmsg?: string;
      /** For `bad_template_data` found before sending: which fields and why (Chinese). */
      issues?: FieldIssue[];
    };

export interface SubscribeMessageSender {
  send(message: SubscribeMessage): Promise<SubscribeSendResult>;
}

/** Openids are 28 characters of [A-Za-z0-9_-] in practice; anything else cannot be one. */
export const OPENID_RE = /^[A-Za-z0-9_-]{6,64}$/;
