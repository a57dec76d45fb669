/**
 * WeChat Pay API v3, direct merchant ("普通商户"), JSAPI payments for the mini-program:
 *
 *   POST /v3/pay/transactions/jsapi                              → 200 { prepay_id }
 *   GET  /v3/pay/transactions/out-trade-no/{no}?mchid=…          → 200 transaction
 *   POST /v3/pay/transactions/out-trade-no/{no}/close  {mchid}   → 204
 *   POST /v3/refund/domestic/refunds                             → 200 refund
 *   GET  /v3/refund/domestic/refunds/{out_refund_no}             → 200 refund
 *
 * Every request is signed with the merchant key (signing.ts) and every answer's signature is
 * verified with WeChat Pay's key before any field of it is used. Errors: wechatpay-errors.ts.
 * Nothing secret (keys, Authorization, bodies with openids) reaches a log line.
 */
import { createHash, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import { log } from '../../lib/log';
import {
  REFUND_STATUSES,
  TRADE_STATES,
  type CreateOrderInput,
  type CreatedOrder,
  type NotificationInput,
  type OrderStatus,
  type PaymentNotification,
  type PaymentProvider,
  type RefundInput,
  type RefundResult,
} from './payment-provider';
import {
  apiV3KeyBytes,
  buildAuthorization,
  paySignMessage,
  privateKeyFrom,
  publicKeyFrom,
  randomNonce,
  rfc3339Shanghai,
  rsaSign,
  verifyAndDecryptNotification,
  verifyWechatpaySignature,
  wechatpayHeaders,
} from './signing';
import { SIMULATED_PAY_PRIVATE_KEY_PEM } from './simulated-keys.local-only';
import { checkCreateOrder, checkOutRefundNo, checkOutTradeNo, checkRefund } from './validate';
import { wechatPayError, wechatPayTransportError, type WechatPayOperation } from './wechatpay-errors';

export const WECHATPAY_API_BASE_URL = 'https://api.mch.weixin.qq.com';

export interface WechatPayV3Config {
  mchid: string;
  /** The mini-program's appid (bound to the merchant). */
  appid: string;
  /** Serial number of the merchant API certificate (`serial_no` in Authorization). */
  merchantSerialNo: string;
  /** Merchant API private key (apiclient_key.pem), PEM or KeyObject. */
  merchantPrivateKey: string | KeyObject;
  /** APIv3 key: 32 ASCII characters. */
  apiV3Key: string;
  /** "微信支付公钥" mode: the public key and its id (`PUB_KEY_ID_…`, sent as Wechatpay-Serial). */
  platformPublicKey?: string | KeyObject;
  platformPublicKeyId?: string;
  /** Platform certificate mode (also during a migration): serial → certificate or public key PEM. */
  platformCertificates?: Record<string, string | KeyObject>;
  /** Default https://api.mch.weixin.qq.com (the backup domain is https://api2.mch.weixin.qq.com). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Clock for request timestamps and `timeStamp` of wx.requestPayment. Default: the system clock. */
  now?: () => Date;
  nonce?: () => string;
  /** Abort a call after this long (default 10 000 ms); reported as WeChat Pay unavailable. */
  timeoutMs?: number;
  warn?: (msg: string, fields: Record<string, unknown>) => void;
}

const fen = z.number().int().min(0);

const PrepaySchema = z.object({ prepay_id: z.string().min(1) });

const TransactionSchema = z.object({
  out_trade_no: z.string(),
  trade_state: z.enum(TRADE_STATES),
  trade_state_desc: z.string().optional(),
  transaction_id: z.string().optional(),
  success_time: z.string().optional(),
  attach: z.string().optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  amount: z.object({ total: fen.optional(), payer_total: fen.optional() }).optional(),
});

const RefundSchema = z.object({
  refund_id: z.string().min(1),
  out_refund_no: z.string().min(1),
  status: z.enum(REFUND_STATUSES),
});

function fingerprint(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** True for the committed local-only key (simulated-keys.local-only.ts). */
export function isLocalOnlyKey(key: KeyObject): boolean {
  return fingerprint(key.type === 'private' ? publicKeyFrom(key) : key) === fingerprint(publicKeyFrom(privateKeyFrom(SIMULATED_PAY_PRIVATE_KEY_PEM)));
}

export class WechatPayV3Provider implements PaymentProvider {
  private readonly privateKey: KeyObject;
  private readonly apiV3Key: Buffer;
  private readonly platformKeys: Map<string, KeyObject>;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly nonce: () => string;
  private readonly timeoutMs: number;
  private readonly warn: (msg: string, fields: Record<string, unknown>) => void;

  constructor(private readonly config: WechatPayV3Config) {
    for (const k of ['mchid', 'appid', 'merchantSerialNo'] as const) {
      if (typeof config[k] !== 'string' || config[k].trim() === '') throw new Error(`WechatPayV3Provider needs ${k}`);
    }
    this.privateKey = privateKeyFrom(config.merchantPrivateKey);
    if (this.privateKey.asymmetricKeyType !== 'rsa') throw new Error('the WeChat Pay merchant key must be an RSA private key');
    this.apiV3Key = apiV3KeyBytes(config.apiV3Key);

    this.platformKeys = new Map();
    if (config.platformPublicKey !== undefined || config.platformPublicKeyId !== undefined) {
      if (!config.platformPublicKey || !config.platformPublicKeyId) {
        throw new Error('WeChat Pay public key mode needs both the key and its id (PUB_KEY_ID_…)');
      }
      this.platformKeys.set(config.platformPublicKeyId, publicKeyFrom(config.platformPublicKey));
    }
    for (const [serial, pem] of Object.entries(config.platformCertificates ?? {})) this.platformKeys.set(serial, publicKeyFrom(pem));
    if (this.platformKeys.size === 0) throw new Error('WechatPayV3Provider needs the WeChat Pay public key or platform certificates');
    if (isLocalOnlyKey(this.privateKey) || [...this.platformKeys.values()].some(isLocalOnlyKey)) {
      throw new Error('WechatPayV3Provider refuses the committed local-only simulated key');
    }

    this.baseUrl = (config.baseUrl ?? WECHATPAY_API_BASE_URL).replace(/\/+$/, '');
    this.fetch = config.fetch ?? globalThis.fetch;
    this.now = config.now ?? (() => new Date());
    this.nonce = config.nonce ?? randomNonce;
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.warn = config.warn ?? log.warn;
  }

  async createOrder(input: CreateOrderInput): Promise<CreatedOrder> {
    const now = this.now();
    checkCreateOrder(input, now);
    const body: Record<string, unknown> = {
      appid: this.config.appid,
      mchid: this.config.mchid,
      description: input.description,
      out_trade_no: input.outTradeNo,
      time_expire: rfc3339Shanghai(input.expiresAt),
      notify_url: input.notifyUrl,
      amount: { total: input.amountFen, currency: 'CNY' },
      payer: { openid: input.payerOpenid },
    };
    if (input.attach !== undefined && input.attach !== '') body.attach = input.attach;

    const res = await this.call('createOrder', 'POST', '/v3/pay/transactions/jsapi', body);
    const { prepay_id: prepayId } = this.shape('createOrder', PrepaySchema, res);

    const timeStamp = String(Math.floor(this.now().getTime() / 1000));
    const nonceStr = this.nonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = rsaSign(paySignMessage(this.config.appid, timeStamp, nonceStr, pkg), this.privateKey);
    return { prepayId, requestPayment: { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign } };
  }

  async parseNotification(input: NotificationInput): Promise<PaymentNotification> {
    return verifyAndDecryptNotification(input, {
      platformKeys: this.platformKeys,
      apiV3Key: this.apiV3Key,
      mchid: this.config.mchid,
      appid: this.config.appid,
    });
  }

  async queryOrder(outTradeNo: string): Promise<OrderStatus> {
    checkOutTradeNo(outTradeNo);
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.config.mchid)}`;
    const tx = this.shape('queryOrder', TransactionSchema, await this.call('queryOrder', 'GET', path));
    const out: OrderStatus = { outTradeNo: tx.out_trade_no, tradeState: tx.trade_state };
    if (tx.trade_state_desc) out.tradeStateDesc = tx.trade_state_desc;
    if (tx.transaction_id) out.transactionId = tx.transaction_id;
    if (tx.amount?.total !== undefined) {
      out.amountFen = { total: tx.amount.total };
      if (tx.amount.payer_total !== undefined) out.amountFen.payerTotal = tx.amount.payer_total;
    }
    if (tx.success_time) out.successTime = tx.success_time;
    if (tx.payer?.openid) out.payerOpenid = tx.payer.openid;
    if (tx.attach) out.attach = tx.attach;
    return out;
  }

  async closeOrder(outTradeNo: string): Promise<void> {
    checkOutTradeNo(outTradeNo);
    await this.call('closeOrder', 'POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, {
      mchid: this.config.mchid,
    });
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    checkRefund(input);
    const body = {
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      reason: input.reason,
      amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
    };
    const r = this.shape('refund', RefundSchema, await this.call('refund', 'POST', '/v3/refund/domestic/refunds', body));
    return { refundId: r.refund_id, outRefundNo: r.out_refund_no, status: r.status };
  }

  async queryRefund(outRefundNo: string): Promise<RefundResult> {
    checkOutRefundNo(outRefundNo);
    const r = this.shape(
      'queryRefund',
      RefundSchema,
      await this.call('queryRefund', 'GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`),
    );
    return { refundId: r.refund_id, outRefundNo: r.out_refund_no, status: r.status };
  }

  /** Signed call; returns the parsed body of a verified 2xx answer, throws typed errors otherwise. */
  private async call(operation: WechatPayOperation, method: 'GET' | 'POST', pathWithQuery: string, body?: unknown): Promise<unknown> {
    const bodyText = body === undefined ? '' : JSON.stringify(body);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const authorization = buildAuthorization(
      { method, pathWithQuery, body: bodyText, timestamp, nonce: this.nonce() },
      { mchid: this.config.mchid, serialNo: this.config.merchantSerialNo, privateKey: this.privateKey },
    );
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: 'application/json',
      // WeChat Pay rejects requests without a User-Agent.
      'User-Agent': 'jiayi-functions/1.0',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let res: Response;
    let text: string;
    try {
      res = await this.fetch(`${this.baseUrl}${pathWithQuery}`, {
        method,
        headers,
        body: body === undefined ? undefined : bodyText,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      this.warn('wechatpay unreachable', { operation, error: e instanceof Error ? e.name : typeof e });
      // The request may have reached WeChat: callers query before retrying a createOrder/refund.
      throw wechatPayTransportError(operation, 'WECHATPAY_UNAVAILABLE', true);
    }

    const signed = wechatpayHeaders(res.headers);
    const hasSignature = Boolean(signed.signature);
    if (res.ok || hasSignature) {
      const check = verifyWechatpaySignature(signed, text, this.platformKeys);
      if (!check.ok) {
        this.warn('wechatpay response signature rejected', { operation, status: res.status, reason: check.reason, detail: check.detail });
        throw wechatPayTransportError(operation, 'WECHATPAY_BAD_SIGNATURE', false, res.status);
      }
    }

    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (res.ok) {
          this.warn('wechatpay non-JSON response', { operation, status: res.status, length: text.length });
          throw wechatPayTransportError(operation, 'WECHATPAY_BAD_RESPONSE', false, res.status);
        }
      }
    }

    if (!res.ok) {
      // An unsigned error answer cannot move money (every success is verified); map it anyway.
      const err = wechatPayError(operation, res.status, parsed);
      const b = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
      this.warn('wechatpay error', {
        operation,
        status: res.status,
        code: typeof b.code === 'string' ? b.code : undefined,
        message: typeof b.message === 'string' ? b.message.slice(0, 200) : undefined,
        signed: hasSignature,
        requestId: res.headers.get('Request-ID') ?? undefined,
      });
      throw err;
    }
    return parsed;
  }

  private shape<T>(operation: WechatPayOperation, schema: z.ZodType<T>, body: unknown): T {
    const r = schema.safeParse(body);
    if (!r.success) {
      this.warn('wechatpay unexpected response', { operation, issues: r.error.issues.map((i) => i.path.join('.')).slice(0, 10) });
      throw wechatPayTransportError(operation, 'WECHATPAY_BAD_RESPONSE', false, 200);
    }
    return r.data;
  }
}
