/**
 * What the signing feature needs from a payment provider. Real implementation: WeChat Pay API v3
 * (wechatpay-v3-provider.ts, JSAPI payments for the mini-program); local/simulated one:
 * simulated-pay-provider.ts. Amounts are integer fen throughout (WeChat Pay's own unit).
 *
 * Errors are the typed errors of shared/src/domain/errors.ts (see wechatpay-errors.ts for the
 * mapping of WeChat Pay's codes); a notification that fails verification is NotificationRejected.
 */
import { DomainError } from '@jiayi/shared/domain/errors';

/** Every `trade_state` WeChat Pay documents for a transaction. */
export const TRADE_STATES = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'] as const;
export type TradeState = (typeof TRADE_STATES)[number];

export const REFUND_STATUSES = ['SUCCESS', 'PROCESSING', 'ABNORMAL', 'CLOSED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface CreateOrderInput {
  /** Our order number: 6–32 characters of `[0-9A-Za-z_-|*]`, unique per merchant forever. */
  outTradeNo: string;
  /** Shown in the payer's WeChat bill, e.g. "家庭医生签约服务费"; at most 127 UTF-8 bytes. */
  description: string;
  amountFen: number;
  payerOpenid: string;
  /** https URL without query string, reachable from the internet. */
  notifyUrl: string;
  /** WeChat closes the order at this instant (sent as `time_expire`, Asia/Shanghai offset). */
  expiresAt: Date;
  /** Echoed back in queries and notifications; at most 128 characters. */
  attach?: string;
}

/** The object to pass to `wx.requestPayment` (plus `simulated` from the simulated provider). */
export interface RequestPaymentParams {
  /** Seconds since the epoch, as a string. */
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=…` */
  package: string;
  signType: 'RSA';
  paySign: string;
  /** Only from SimulatedPayProvider: the client must not call wx.requestPayment with these. */
  simulated?: true;
}

export interface CreatedOrder {
  prepayId: string;
  requestPayment: RequestPaymentParams;
}

export interface NotificationInput {
  /** Request headers as received; names are matched case-insensitively. */
  headers: Record<string, string | undefined>;
  /** The request body exactly as received (the signature covers its bytes). */
  rawBody: string;
  now: Date;
}

export interface PaymentNotification {
  /** WeChat's notification id (`id`): the same event redelivered keeps it — dedupe on it. */
  eventId: string;
  /** e.g. `TRANSACTION.SUCCESS`. */
  eventType: string;
  outTradeNo: string;
  transactionId: string;
  tradeState: TradeState;
  amountFen: { total: number; payerTotal: number };
  /** RFC 3339 instant as WeChat sent it (e.g. `2024-05-01T10:00:00+08:00`); absent unless paid. */
  successTime?: string;
  payerOpenid: string;
  attach?: string;
}

export interface RefundInput {
  outTradeNo: string;
  /** Our refund number; retrying with the same one never refunds twice. */
  outRefundNo: string;
  refundFen: number;
  /** The original order's total (WeChat checks it). */
  totalFen: number;
  /** Shown to the payer in the refund message; at most 80 characters. */
  reason: string;
}

export interface RefundResult {
  refundId: string;
  outRefundNo: string;
  status: RefundStatus;
}

export interface OrderStatus {
  outTradeNo: string;
  tradeState: TradeState;
  tradeStateDesc?: string;
  transactionId?: string;
  amountFen?: { total: number; payerTotal?: number };
  successTime?: string;
  payerOpenid?: string;
  attach?: string;
}

export interface PaymentProvider {
  /** Place a JSAPI order and return what `wx.requestPayment` needs. */
  createOrder(input: CreateOrderInput): Promise<CreatedOrder>;
  /**
   * Verify (signature, key id, 5-minute freshness) and decrypt a payment notification. Throws
   * NotificationRejected; never trusts a field it has not verified.
   */
  parseNotification(input: NotificationInput): Promise<PaymentNotification>;
  refund(input: RefundInput): Promise<RefundResult>;
  /** Status of a refund (a refund answered PROCESSING settles later). */
  queryRefund(outRefundNo: string): Promise<RefundResult>;
  queryOrder(outTradeNo: string): Promise<OrderStatus>;
  /** Close an unpaid order (idempotent at WeChat: closing a closed order succeeds). */
  closeOrder(outTradeNo: string): Promise<void>;
}

export type NotificationRejectedReason = 'bad_signature' | 'stale_timestamp' | 'unknown_serial' | 'decrypt_failed' | 'malformed';

const REJECTED_STATUS: Record<NotificationRejectedReason, 400 | 401> = {
  bad_signature: 401,
  stale_timestamp: 401,
  unknown_serial: 401,
  decrypt_failed: 400,
  malformed: 400,
};

/**
 * A payment notification we refuse. 401 when its origin is not proven (signature, key id,
 * freshness), 400 when it is authentic but unusable (cannot decrypt, unexpected content).
 * WeChat Pay redelivers on any non-2xx answer, so a refusal is never final for a real event.
 * `detail` is for the log only (never secrets or decrypted content).
 */
export class NotificationRejected extends DomainError {
  readonly status: 400 | 401;
  constructor(
    readonly reason: NotificationRejectedReason,
    readonly detail = '',
  ) {
    super(`PAY_NOTIFICATION_${reason.toUpperCase()}`, REJECTED_STATUS[reason] === 401 ? '通知签名验证失败' : '通知内容无效');
    this.status = REJECTED_STATUS[reason];
  }
}
