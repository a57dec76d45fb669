/**
 * WeChat Pay stand-in for the local stack, the tests and the H5 build (never prod: see index.ts).
 *
 * It plays both sides with local-only keys: `createOrder` answers like the JSAPI order call (a
 * deterministic prepay id, a paySign made with the local key, and `simulated: true` so the client
 * skips `wx.requestPayment`), and `buildNotification` produces the exact request WeChat Pay would
 * send to our notify URL — RSA-signed headers over the raw body and an AEAD_AES_256_GCM-encrypted
 * `resource` — so the real notification handler and the shared `parseNotification` path run
 * unchanged. Key material: the committed RSA key in simulated-keys.local-only.ts; the APIv3 key
 * and the key id are derived from the seed (SIMULATED_PAY_SEED), so two processes with the same
 * configuration agree without sharing anything.
 *
 * State: only a bounded in-memory record of orders this process created or saw paid, so that
 * queryOrder/closeOrder answer like WeChat within one process. Nothing else is remembered.
 */
import { createHmac, type KeyObject } from 'node:crypto';
import { ConflictError, NotFoundError } from '@jiayi/shared/domain/errors';
import type {
  CreateOrderInput,
  CreatedOrder,
  NotificationInput,
  OrderStatus,
  PaymentNotification,
  PaymentProvider,
  RefundInput,
  RefundResult,
  TradeState,
} from './payment-provider';
import {
  AUTH_SCHEMA,
  aesGcmEncrypt,
  apiV3KeyBytes,
  paySignMessage,
  privateKeyFrom,
  publicKeyFrom,
  randomNonce,
  responseSignatureMessage,
  rfc3339Shanghai,
  rsaSign,
  verifyAndDecryptNotification,
} from './signing';
import { SIMULATED_PAY_PRIVATE_KEY_PEM } from './simulated-keys.local-only';
import { checkCreateOrder, checkOutRefundNo, checkOutTradeNo, checkRefund } from './validate';

export const DEFAULT_SIMULATED_PAY_SEED = 'jiayi-local-simulated-pay';
export const SIMULATED_APPID = 'wx00000000simulated';
export const SIMULATED_MCHID = '1900000000';
const MAX_REMEMBERED_ORDERS = 10_000;

export interface SimulatedPayConfig {
  /** Derives the APIv3 key and key id; processes that must agree use the same seed. */
  seed?: string;
  appid?: string;
  mchid?: string;
  /** Override the committed local-only RSA key (PEM). */
  privateKeyPem?: string;
  /** Clock for `timeStamp` and default notification times. Default: the system clock. */
  now?: () => Date;
}

export interface BuildNotificationInput {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  tradeState: TradeState;
  /** RFC 3339, e.g. `2024-05-01T10:00:00+08:00`; omit for unpaid states. */
  successTime?: string;
  payerOpenid: string;
  attach?: string;
  /** When the notification is "sent" (Wechatpay-Timestamp). Default: the provider's clock. */
  now?: Date;
  /** Default: derived from transactionId and tradeState, so a redelivery keeps its id. */
  eventId?: string;
}

interface RememberedOrder {
  state: TradeState;
  amountFen: number;
  payerOpenid: string;
  attach?: string;
  transactionId?: string;
  successTime?: string;
}

export class SimulatedPayProvider implements PaymentProvider {
  readonly simulated = true as const;
  /** Sent as Wechatpay-Serial, like a `PUB_KEY_ID_…` in WeChat Pay public key mode. */
  readonly keyId: string;
  readonly appid: string;
  readonly mchid: string;
  private readonly seed: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly apiV3Key: Buffer;
  private readonly now: () => Date;
  private readonly orders = new Map<string, RememberedOrder>();

  constructor(config: SimulatedPayConfig = {}) {
    this.seed = config.seed || DEFAULT_SIMULATED_PAY_SEED;
    this.appid = config.appid || SIMULATED_APPID;
    this.mchid = config.mchid || SIMULATED_MCHID;
    this.privateKey = privateKeyFrom(config.privateKeyPem || SIMULATED_PAY_PRIVATE_KEY_PEM);
    this.publicKey = publicKeyFrom(this.privateKey);
    this.apiV3Key = apiV3KeyBytes(this.derive('apiv3-key').slice(0, 32));
    this.keyId = `PUB_KEY_ID_SIM${this.derive('key-id').slice(0, 24).toUpperCase()}`;
    this.now = config.now ?? (() => new Date());
  }

  /** The public key a client of this simulator verifies with (tests, tools). */
  get platformPublicKey(): KeyObject {
    return this.publicKey;
  }

  private derive(label: string): string {
    return createHmac('sha256', this.seed).update(label).digest('hex');
  }

  async createOrder(input: CreateOrderInput): Promise<CreatedOrder> {
    const now = this.now();
    checkCreateOrder(input, now);
    const known = this.orders.get(input.outTradeNo);
    if (known?.state === 'SUCCESS' || known?.state === 'REFUND') throw new ConflictError('WECHATPAY_ORDER_PAID', '该订单已支付，请勿重复支付');
    if (known?.state === 'CLOSED') throw new ConflictError('WECHATPAY_ORDER_CLOSED', '订单已关闭，请重新下单');
    this.remember(input.outTradeNo, { state: 'NOTPAY', amountFen: input.amountFen, payerOpenid: input.payerOpenid, attach: input.attach });

    const prepayId = `wxsim${this.derive(`prepay:${this.mchid}:${input.outTradeNo}`).slice(0, 28)}`;
    const timeStamp = String(Math.floor(now.getTime() / 1000));
    const nonceStr = randomNonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = rsaSign(paySignMessage(this.appid, timeStamp, nonceStr, pkg), this.privateKey);
    return { prepayId, requestPayment: { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign, simulated: true } };
  }

  /**
   * The request WeChat Pay would POST to the notify URL for this transaction: headers and the
   * exact body text. Feed both to any process's `parseNotification` with the same seed.
   */
  buildNotification(input: BuildNotificationInput): { headers: Record<string, string>; rawBody: string } {
    const at = input.now ?? this.now();
    const transaction: Record<string, unknown> = {
      mchid: this.mchid,
      appid: this.appid,
      out_trade_no: input.outTradeNo,
      transaction_id: input.transactionId,
      trade_type: 'JSAPI',
      trade_state: input.tradeState,
      trade_state_desc: input.tradeState === 'SUCCESS' ? '支付成功' : input.tradeState,
      bank_type: 'OTHERS',
      attach: input.attach ?? '',
      payer: { openid: input.payerOpenid },
      amount: { total: input.amountFen, payer_total: input.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    };
    if (input.successTime !== undefined) transaction.success_time = input.successTime;

    const resourceNonce = randomNonce().slice(0, 12);
    const envelope = {
      id: input.eventId ?? this.eventIdFor(input.transactionId, input.tradeState),
      create_time: rfc3339Shanghai(at),
      resource_type: 'encrypt-resource',
      event_type: `TRANSACTION.${input.tradeState}`,
      summary: input.tradeState === 'SUCCESS' ? '支付成功' : '交易状态变更',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: aesGcmEncrypt(JSON.stringify(transaction), this.apiV3Key, resourceNonce, 'transaction'),
        associated_data: 'transaction',
        nonce: resourceNonce,
      },
    };
    const rawBody = JSON.stringify(envelope);
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const nonce = randomNonce();
    return {
      headers: {
        'Content-Type': 'application/json',
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature': rsaSign(responseSignatureMessage(timestamp, nonce, rawBody), this.privateKey),
        'Wechatpay-Serial': this.keyId,
        'Wechatpay-Signature-Type': AUTH_SCHEMA,
      },
      rawBody,
    };
  }

  async parseNotification(input: NotificationInput): Promise<PaymentNotification> {
    const n = verifyAndDecryptNotification(input, {
      platformKeys: new Map([[this.keyId, this.publicKey]]),
      apiV3Key: this.apiV3Key,
      mchid: this.mchid,
      appid: this.appid,
    });
    // Like WeChat's own record after the payment: later queries in this process see it.
    this.remember(n.outTradeNo, {
      state: n.tradeState,
      amountFen: n.amountFen.total,
      payerOpenid: n.payerOpenid,
      attach: n.attach,
      transactionId: n.transactionId,
      successTime: n.successTime,
    });
    return n;
  }

  async queryOrder(outTradeNo: string): Promise<OrderStatus> {
    checkOutTradeNo(outTradeNo);
    const o = this.orders.get(outTradeNo);
    if (!o) throw new NotFoundError('支付订单不存在', 'WECHATPAY_ORDER_NOT_EXIST');
    const out: OrderStatus = { outTradeNo, tradeState: o.state, amountFen: { total: o.amountFen }, payerOpenid: o.payerOpenid };
    if (o.state === 'SUCCESS' || o.state === 'REFUND') out.amountFen = { total: o.amountFen, payerTotal: o.amountFen };
    if (o.transactionId) out.transactionId = o.transactionId;
    if (o.successTime) out.successTime = o.successTime;
    if (o.attach) out.attach = o.attach;
    return out;
  }

  async closeOrder(outTradeNo: string): Promise<void> {
    checkOutTradeNo(outTradeNo);
    const o = this.orders.get(outTradeNo);
    if (!o) throw new NotFoundError('支付订单不存在', 'WECHATPAY_ORDER_NOT_EXIST');
    if (o.state === 'SUCCESS' || o.state === 'REFUND') throw new ConflictError('WECHATPAY_ORDER_PAID', '该订单已支付，请勿重复支付');
    o.state = 'CLOSED';
  }

  /** Always SUCCESS, with a refund id derived from outRefundNo (a retry gets the same id). */
  async refund(input: RefundInput): Promise<RefundResult> {
    checkRefund(input);
    const o = this.orders.get(input.outTradeNo);
    if (o && o.state !== 'SUCCESS' && o.state !== 'REFUND') {
      throw new ConflictError('WECHATPAY_REFUND_REFUSED', '该订单当前无法退款，请联系工作人员');
    }
    if (o) o.state = 'REFUND';
    return { refundId: this.refundIdFor(input.outRefundNo), outRefundNo: input.outRefundNo, status: 'SUCCESS' };
  }

  async queryRefund(outRefundNo: string): Promise<RefundResult> {
    checkOutRefundNo(outRefundNo);
    return { refundId: this.refundIdFor(outRefundNo), outRefundNo, status: 'SUCCESS' };
  }

  private refundIdFor(outRefundNo: string): string {
    // WeChat refund ids are digit strings starting with 50.
    return `50${BigInt(`0x${this.derive(`refund:${this.mchid}:${outRefundNo}`).slice(0, 24)}`).toString().padStart(28, '0').slice(0, 28)}`;
  }

  private eventIdFor(transactionId: string, state: TradeState): string {
    const h = this.derive(`event:${transactionId}:${state}`);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private remember(outTradeNo: string, order: RememberedOrder): void {
    this.orders.delete(outTradeNo);
    this.orders.set(outTradeNo, order);
    if (this.orders.size > MAX_REMEMBERED_ORDERS) this.orders.delete(this.orders.keys().next().value!);
  }
}
