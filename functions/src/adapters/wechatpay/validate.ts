/**
 * Input checks both providers apply before talking to WeChat Pay (documented field limits), so
 * the simulated provider refuses exactly what the real one would. Failures are ValidationError
 * (400) with Chinese messages; they mean a bug in the caller more often than bad user input.
 */
import { ValidationError, type FieldIssue } from '@jiayi/shared/domain/errors';
import type { CreateOrderInput, RefundInput } from './payment-provider';

/** `out_trade_no`: 6–32 characters, digits, letters and `_-|*`. */
export const OUT_TRADE_NO_RE = /^[0-9A-Za-z_\-|*]{6,32}$/;
/** `out_refund_no`: 1–64 characters, digits, letters and `_-|*@`. */
export const OUT_REFUND_NO_RE = /^[0-9A-Za-z_\-|*@]{1,64}$/;

const isFen = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

export function checkOutTradeNo(outTradeNo: unknown, path = 'outTradeNo'): string {
  if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO_RE.test(outTradeNo)) {
    throw new ValidationError({ path, message: '商户订单号须为6至32位字母、数字或 _-|* 符号' });
  }
  return outTradeNo;
}

export function checkOutRefundNo(outRefundNo: unknown, path = 'outRefundNo'): string {
  if (typeof outRefundNo !== 'string' || !OUT_REFUND_NO_RE.test(outRefundNo)) {
    throw new ValidationError({ path, message: '退款单号须为1至64位字母、数字或 _-|*@ 符号' });
  }
  return outRefundNo;
}

export function checkCreateOrder(input: CreateOrderInput, now: Date): void {
  const issues: FieldIssue[] = [];
  if (typeof input.outTradeNo !== 'string' || !OUT_TRADE_NO_RE.test(input.outTradeNo)) {
    issues.push({ path: 'outTradeNo', message: '商户订单号须为6至32位字母、数字或 _-|* 符号' });
  }
  if (typeof input.description !== 'string' || input.description.trim() === '') {
    issues.push({ path: 'description', message: '商品描述不能为空' });
  } else if (Buffer.byteLength(input.description, 'utf8') > 127) {
    issues.push({ path: 'description', message: '商品描述过长（最多127字节，约42个汉字）' });
  }
  if (!isFen(input.amountFen) || input.amountFen < 1) {
    issues.push({ path: 'amountFen', message: '支付金额须为正整数（单位：分）' });
  }
  if (typeof input.payerOpenid !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(input.payerOpenid)) {
    issues.push({ path: 'payerOpenid', message: '付款人标识无效' });
  }
  if (typeof input.notifyUrl !== 'string' || !/^https:\/\/[^\s?#]+$/.test(input.notifyUrl) || input.notifyUrl.length > 255) {
    issues.push({ path: 'notifyUrl', message: '支付通知地址须为不带参数的 https 地址' });
  }
  if (!(input.expiresAt instanceof Date) || Number.isNaN(input.expiresAt.getTime())) {
    issues.push({ path: 'expiresAt', message: '订单失效时间无效' });
  } else if (input.expiresAt.getTime() <= now.getTime()) {
    issues.push({ path: 'expiresAt', message: '订单失效时间须晚于当前时间' });
  }
  if (input.attach !== undefined && (typeof input.attach !== 'string' || [...input.attach].length > 128)) {
    issues.push({ path: 'attach', message: '附加数据最多128个字符' });
  }
  if (issues.length) throw new ValidationError(issues);
}

export function checkRefund(input: RefundInput): void {
  const issues: FieldIssue[] = [];
  if (typeof input.outTradeNo !== 'string' || !OUT_TRADE_NO_RE.test(input.outTradeNo)) {
    issues.push({ path: 'outTradeNo', message: '商户订单号须为6至32位字母、数字或 _-|* 符号' });
  }
  if (typeof input.outRefundNo !== 'string' || !OUT_REFUND_NO_RE.test(input.outRefundNo)) {
    issues.push({ path: 'outRefundNo', message: '退款单号须为1至64位字母、数字或 _-|*@ 符号' });
  }
  if (!isFen(input.totalFen) || input.totalFen < 1) {
    issues.push({ path: 'totalFen', message: '原订单金额须为正整数（单位：分）' });
  }
  if (!isFen(input.refundFen) || input.refundFen < 1) {
    issues.push({ path: 'refundFen', message: '退款金额须为正整数（单位：分）' });
  } else if (isFen(input.totalFen) && input.refundFen > input.totalFen) {
    issues.push({ path: 'refundFen', message: '退款金额不能超过原订单金额' });
  }
  if (typeof input.reason !== 'string' || [...input.reason].length > 80) {
    issues.push({ path: 'reason', message: '退款原因最多80个字符' });
  }
  if (issues.length) throw new ValidationError(issues);
}
