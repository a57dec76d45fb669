/**
 * WeChat Pay API v3 error answers → our typed errors (shared/src/domain/errors.ts).
 *
 * WeChat answers non-2xx with `{ "code": "ORDERNOTEXIST", "message": "订单不存在", "detail"? }`.
 * The mapping goes by `code` (stable), falling back on the HTTP status. Messages are ours, in
 * Chinese, written for the resident; WeChat's own message goes to the log (`wechatPayErrorInfo`),
 * never to the client, since it can name merchant configuration.
 */
import {
  ConflictError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  type DomainError,
} from '@jiayi/shared/domain/errors';

export type WechatPayOperation = 'createOrder' | 'queryOrder' | 'closeOrder' | 'refund' | 'queryRefund';

export interface WechatPayErrorInfo {
  operation: WechatPayOperation;
  httpStatus: number;
  /** WeChat's `code`, or '' when the body had none. */
  code: string;
  /** WeChat's `message`, trimmed (for logs). */
  message: string;
  /** Whether the same request may succeed later (same outTradeNo / outRefundNo). */
  retryable: boolean;
}

const infos = new WeakMap<Error, WechatPayErrorInfo>();

/** The WeChat Pay answer behind an error thrown by WechatPayV3Provider, if any. */
export function wechatPayErrorInfo(e: unknown): WechatPayErrorInfo | undefined {
  return e instanceof Error ? infos.get(e) : undefined;
}

export const PAY_UNAVAILABLE = '支付服务暂时不可用，请稍后再试';
const PAY_BUSY = '微信支付系统繁忙，请稍后再试';

function build(operation: WechatPayOperation, code: string, httpStatus: number, wechatMessage: string): { error: DomainError; retryable: boolean } {
  const refund = operation === 'refund' || operation === 'queryRefund';
  switch (code) {
    case 'ORDERPAID':
      return { error: new ConflictError('WECHATPAY_ORDER_PAID', '该订单已支付，请勿重复支付'), retryable: false };
    case 'OUT_TRADE_NO_USED':
      return { error: new ConflictError('WECHATPAY_OUT_TRADE_NO_USED', '订单号已被使用，请重新下单'), retryable: false };
    case 'ORDER_CLOSED':
    case 'ORDERCLOSED':
      return { error: new ConflictError('WECHATPAY_ORDER_CLOSED', '订单已关闭，请重新下单'), retryable: false };
    case 'ORDERNOTEXIST':
    case 'ORDER_NOT_EXIST':
    case 'RESOURCE_NOT_EXISTS':
      return { error: new NotFoundError(refund ? '退款单或订单不存在' : '支付订单不存在', 'WECHATPAY_ORDER_NOT_EXIST'), retryable: false };
    case 'NOTENOUGH':
    case 'NOT_ENOUGH':
      // Payment: the payer's balance. Refund: the merchant's refundable funds (ours to fix).
      return refund
        ? { error: new UpstreamError('WECHATPAY_REFUND_FUNDS_INSUFFICIENT', '退款资金暂时不足，请稍后再试'), retryable: true }
        : { error: new ConflictError('WECHATPAY_NOT_ENOUGH', '账户余额不足，请更换支付方式'), retryable: false };
    case 'USER_ACCOUNT_ABNORMAL':
      return { error: new ConflictError('WECHATPAY_USER_ACCOUNT_ABNORMAL', '付款账户异常，无法原路退款，请联系工作人员'), retryable: false };
    case 'TRADE_ERROR':
    case 'RULELIMIT':
    case 'RULE_LIMIT':
      return { error: new ConflictError('WECHATPAY_TRADE_REFUSED', '该交易被微信支付拒绝，请稍后再试或更换支付方式'), retryable: false };
    case 'FREQUENCY_LIMITED':
      return { error: new RateLimitedError('支付请求过于频繁，请稍后再试', 'WECHATPAY_FREQUENCY_LIMITED'), retryable: true };
    case 'SYSTEM_ERROR':
    case 'SYSTEMERROR':
    case 'BANKERROR':
    case 'BANK_ERROR':
      return { error: new UpstreamError('WECHATPAY_SYSTEM_ERROR', PAY_BUSY), retryable: true };
    case 'SIGN_ERROR':
      return { error: new UpstreamError('WECHATPAY_SIGN_ERROR', PAY_UNAVAILABLE), retryable: false };
    case 'PARAM_ERROR':
      return { error: new UpstreamError('WECHATPAY_PARAM_ERROR', PAY_UNAVAILABLE), retryable: false };
    case 'INVALID_REQUEST':
      // INVALID_REQUEST covers business-rule refusals; two are the resident's situation.
      if (/订单号重复/.test(wechatMessage)) {
        return { error: new ConflictError('WECHATPAY_OUT_TRADE_NO_USED', '订单号已被使用，请重新下单'), retryable: false };
      }
      if (refund) return { error: new ConflictError('WECHATPAY_REFUND_REFUSED', '该订单当前无法退款，请联系工作人员'), retryable: false };
      return { error: new UpstreamError('WECHATPAY_INVALID_REQUEST', PAY_UNAVAILABLE), retryable: false };
    case 'NOAUTH':
    case 'NO_AUTH':
    case 'APPID_MCHID_NOT_MATCH':
    case 'MCH_NOT_EXISTS':
    case 'ACCOUNTERROR':
      return { error: new UpstreamError('WECHATPAY_MERCHANT_CONFIG', PAY_UNAVAILABLE), retryable: false };
    default:
      if (httpStatus === 429) return { error: new RateLimitedError('支付请求过于频繁，请稍后再试', 'WECHATPAY_FREQUENCY_LIMITED'), retryable: true };
      if (httpStatus === 404) return { error: new NotFoundError(refund ? '退款单或订单不存在' : '支付订单不存在', 'WECHATPAY_ORDER_NOT_EXIST'), retryable: false };
      if (httpStatus >= 500) return { error: new UpstreamError('WECHATPAY_SYSTEM_ERROR', PAY_BUSY), retryable: true };
      return { error: new UpstreamError('WECHATPAY_ERROR', PAY_UNAVAILABLE), retryable: false };
  }
}

export function wechatPayError(operation: WechatPayOperation, httpStatus: number, body: unknown): DomainError {
  const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const code = typeof b.code === 'string' ? b.code : '';
  const message = typeof b.message === 'string' ? b.message.slice(0, 200) : '';
  const { error, retryable } = build(operation, code, httpStatus, message);
  infos.set(error, { operation, httpStatus, code, message, retryable });
  return error;
}

/** An error for a transport problem (network, timeout, unverifiable or unexpected answer). */
export function wechatPayTransportError(operation: WechatPayOperation, code: string, retryable: boolean, httpStatus = 0): DomainError {
  const error = new UpstreamError(code, PAY_UNAVAILABLE);
  infos.set(error, { operation, httpStatus, code: '', message: '', retryable });
  return error;
}
