import { createDecipheriv, createHmac, createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '@jiayi/shared/domain/errors';
import { NotificationRejected } from './payment-provider';
import { SimulatedPayProvider, DEFAULT_SIMULATED_PAY_SEED } from './simulated-pay-provider';
import { paymentProviderFromConfig, WechatPayV3Provider } from './index';

const NOW = new Date('2025-03-10T02:00:00Z');
const ORDER = {
  outTradeNo: 'JY20250310S0001',
  description: '家庭医生签约服务费-慢病包',
  amountFen: 9900,
  payerOpenid: 'oSim_resident_001',
  notifyUrl: 'https://localhost.jiayi.test/pay/notify',
  expiresAt: new Date('2025-03-10T02:30:00Z'),
};
const PAID = {
  outTradeNo: ORDER.outTradeNo,
  transactionId: '4200000000202503100000000001',
  amountFen: 9900,
  tradeState: 'SUCCESS' as const,
  successTime: '2025-03-10T10:01:00+08:00',
  payerOpenid: ORDER.payerOpenid,
};

async function caught(pr: Promise<unknown>): Promise<Error> {
  try {
    await pr;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('SimulatedPayProvider.createOrder', () => {
  it('returns the wx.requestPayment shape, flagged simulated, with a paySign the local key verifies', async () => {
    const p = new SimulatedPayProvider({ now: () => NOW });
    const out = await p.createOrder(ORDER);
    expect(out.prepayId).toMatch(/^wxsim[0-9a-f]{28}$/);
    expect(out.requestPayment).toMatchObject({
      timeStamp: String(NOW.getTime() / 1000),
      package: `prepay_id=${out.prepayId}`,
      signType: 'RSA',
      simulated: true,
    });
    const rp = out.requestPayment;
    expect(
      createVerify('RSA-SHA256').update(`${p.appid}\n${rp.timeStamp}\n${rp.nonceStr}\n${rp.package}\n`).verify(p.platformPublicKey, rp.paySign, 'base64'),
    ).toBe(true);
    // deterministic per order: a second process gives the same prepay id
    expect((await new SimulatedPayProvider({ now: () => NOW }).createOrder(ORDER)).prepayId).toBe(out.prepayId);
  });

  it('applies the same input limits as WeChat Pay', async () => {
    const p = new SimulatedPayProvider({ now: () => NOW });
    await expect(p.createOrder({ ...ORDER, description: '签'.repeat(43) })).rejects.toBeInstanceOf(ValidationError);
    await expect(p.createOrder({ ...ORDER, amountFen: 99.9 })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('SimulatedPayProvider notifications', () => {
  it('a notification built by one instance verifies in another with the same seed (test process → API process)', async () => {
    const tester = new SimulatedPayProvider({ seed: 'ci-seed', now: () => NOW });
    const api = new SimulatedPayProvider({ seed: 'ci-seed' });
    const n = tester.buildNotification({ ...PAID, attach: 'agreement:1' });
    await expect(api.parseNotification({ ...n, now: NOW })).resolves.toEqual({
      eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/),
      eventType: 'TRANSACTION.SUCCESS',
      outTradeNo: PAID.outTradeNo,
      transactionId: PAID.transactionId,
      tradeState: 'SUCCESS',
      amountFen: { total: 9900, payerTotal: 9900 },
      successTime: PAID.successTime,
      payerOpenid: PAID.payerOpenid,
      attach: 'agreement:1',
    });
  });

  it('a redelivery keeps the event id (dedupe key)', () => {
    const p = new SimulatedPayProvider({ now: () => NOW });
    const a = JSON.parse(p.buildNotification(PAID).rawBody);
    const b = JSON.parse(p.buildNotification(PAID).rawBody);
    expect(a.id).toBe(b.id);
    expect(a.resource.ciphertext).not.toBe(b.resource.ciphertext); // fresh nonce each time, like WeChat
  });

  it('is exactly the documented WeChat Pay format (checked with plain node:crypto)', () => {
    const p = new SimulatedPayProvider({ seed: 'format-check', now: () => NOW });
    const { headers, rawBody } = p.buildNotification(PAID);
    expect(headers['Wechatpay-Serial']).toBe(p.keyId);
    expect(headers['Wechatpay-Serial']).toMatch(/^PUB_KEY_ID_/);
    expect(headers['Wechatpay-Timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(headers['Wechatpay-Signature-Type']).toBe('WECHATPAY2-SHA256-RSA2048');
    const signed = `${headers['Wechatpay-Timestamp']}\n${headers['Wechatpay-Nonce']}\n${rawBody}\n`;
    expect(createVerify('RSA-SHA256').update(signed).verify(p.platformPublicKey, headers['Wechatpay-Signature']!, 'base64')).toBe(true);

    const body = JSON.parse(rawBody);
    expect(body).toMatchObject({ resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', create_time: '2025-03-10T10:00:00+08:00' });
    expect(body.resource).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction', original_type: 'transaction' });
    expect(body.resource.nonce).toHaveLength(12);
    // The APIv3 key is derived from the seed; recompute it the documented way and decrypt.
    const key = Buffer.from(createHmac('sha256', 'format-check').update('apiv3-key').digest('hex').slice(0, 32));
    const data = Buffer.from(body.resource.ciphertext, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(body.resource.nonce));
    d.setAAD(Buffer.from('transaction'));
    d.setAuthTag(data.subarray(-16));
    const tx = JSON.parse(Buffer.concat([d.update(data.subarray(0, -16)), d.final()]).toString('utf8'));
    expect(tx).toMatchObject({
      mchid: p.mchid,
      appid: p.appid,
      out_trade_no: PAID.outTradeNo,
      transaction_id: PAID.transactionId,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      success_time: PAID.successTime,
      payer: { openid: PAID.payerOpenid },
      amount: { total: 9900, payer_total: 9900, currency: 'CNY', payer_currency: 'CNY' },
    });
  });

  it('another seed → unknown_serial; a tampered body → bad_signature; an old one → stale_timestamp', async () => {
    const p = new SimulatedPayProvider({ now: () => NOW });
    const n = p.buildNotification(PAID);
    const other = new SimulatedPayProvider({ seed: 'someone-else' });
    await expect(other.parseNotification({ ...n, now: NOW })).rejects.toMatchObject({ reason: 'unknown_serial' });
    await expect(p.parseNotification({ ...n, rawBody: n.rawBody.replace('支付成功', '支付成功 '), now: NOW })).rejects.toMatchObject({ reason: 'bad_signature' });
    const late = new Date(NOW.getTime() + 301_000);
    const e = await caught(p.parseNotification({ ...n, now: late }));
    expect(e).toBeInstanceOf(NotificationRejected);
    expect((e as NotificationRejected).reason).toBe('stale_timestamp');
  });

  it('same RSA key and key id but another APIv3 key → decrypt_failed (400)', async () => {
    const p = new SimulatedPayProvider({ now: () => NOW });
    const n = p.buildNotification(PAID);
    // Only a misconfigured deployment looks like this: poke the private field to build one.
    const twin = new SimulatedPayProvider({ seed: DEFAULT_SIMULATED_PAY_SEED });
    (twin as unknown as { apiV3Key: Buffer }).apiV3Key = Buffer.alloc(32, 1);
    await expect(twin.parseNotification({ ...n, now: NOW })).rejects.toMatchObject({ reason: 'decrypt_failed', status: 400 });
  });
});

describe('SimulatedPayProvider order lifecycle (one process)', () => {
  it('NOTPAY after create, SUCCESS after the notification, then refund', async () => {
    const p = new SimulatedPayProvider({ now: () => NOW });
    await expect(p.queryOrder(ORDER.outTradeNo)).rejects.toBeInstanceOf(NotFoundError);
    await p.createOrder(ORDER);
    await expect(p.queryOrder(ORDER.outTradeNo)).resolves.toMatchObject({ tradeState: 'NOTPAY', amountFen: { total: 9900 } });

    await p.parseNotification({ ...p.buildNotification(PAID), now: NOW });
    await expect(p.queryOrder(ORDER.outTradeNo)).resolves.toMatchObject({
      tradeState: 'SUCCESS',
      transactionId: PAID.transactionId,
      amountFen: { total: 9900, payerTotal: 9900 },
    });
    await expect(p.createOrder(ORDER)).rejects.toMatchObject({ code: 'WECHATPAY_ORDER_PAID' });
    await expect(p.closeOrder(ORDER.outTradeNo)).rejects.toBeInstanceOf(ConflictError);

    const r1 = await p.refund({ outTradeNo: ORDER.outTradeNo, outRefundNo: 'RF-S-1', refundFen: 9900, totalFen: 9900, reason: '退签' });
    const r2 = await new SimulatedPayProvider().refund({ outTradeNo: ORDER.outTradeNo, outRefundNo: 'RF-S-1', refundFen: 9900, totalFen: 9900, reason: '退签' });
    expect(r1).toEqual({ refundId: r2.refundId, outRefundNo: 'RF-S-1', status: 'SUCCESS' });
    expect(r1.refundId).toMatch(/^50\d{28}$/);
    await expect(p.queryRefund('RF-S-1')).resolves.toEqual(r1);
    await expect(p.queryOrder(ORDER.outTradeNo)).resolves.toMatchObject({ tradeState: 'REFUND' });
  });

  it('closing an unpaid order, and refusing to refund it', async () => {
    const p = new SimulatedPayProvider({ now: () => NOW });
    await p.createOrder(ORDER);
    await expect(
      p.refund({ outTradeNo: ORDER.outTradeNo, outRefundNo: 'RF-S-2', refundFen: 1, totalFen: 9900, reason: '' }),
    ).rejects.toMatchObject({ code: 'WECHATPAY_REFUND_REFUSED' });
    await p.closeOrder(ORDER.outTradeNo);
    await expect(p.queryOrder(ORDER.outTradeNo)).resolves.toMatchObject({ tradeState: 'CLOSED' });
    await expect(p.createOrder(ORDER)).rejects.toMatchObject({ code: 'WECHATPAY_ORDER_CLOSED' });
  });
});

describe('paymentProviderFromConfig', () => {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const WECHATPAY_ENV = {
    PAYMENT_PROVIDER: 'wechatpay',
    WECHATPAY_MCHID: '1900009191',
    WECHATPAY_APPID: 'wxd678efh567hg6787',
    WECHATPAY_SERIAL: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    // as an environment variable usually carries it: one line with literal \n
    WECHATPAY_PRIVATE_KEY: (merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).replace(/\n/g, '\\n'),
    WECHATPAY_APIV3_KEY: 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb',
    WECHATPAY_PLATFORM_PUBLIC_KEY: platform.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    WECHATPAY_PLATFORM_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000091912025010100000000000001',
  };

  it('defaults to the simulated provider outside prod, honouring SIMULATED_PAY_SEED', async () => {
    const a = paymentProviderFromConfig({ STAGE: 'local', SIMULATED_PAY_SEED: 's1' });
    expect(a).toBeInstanceOf(SimulatedPayProvider);
    const n = new SimulatedPayProvider({ seed: 's1', now: () => NOW }).buildNotification(PAID);
    await expect(a.parseNotification({ ...n, now: NOW })).resolves.toMatchObject({ tradeState: 'SUCCESS' });
    expect(paymentProviderFromConfig({})).toBeInstanceOf(SimulatedPayProvider);
  });

  it.each(['prod', 'production', 'PROD'])('refuses the simulated provider on stage %s', (STAGE) => {
    expect(() => paymentProviderFromConfig({ STAGE, PAYMENT_PROVIDER: 'simulated' })).toThrow(/refused/);
    expect(() => paymentProviderFromConfig({ STAGE })).toThrow(/PAYMENT_PROVIDER must be set/);
  });

  it('builds WeChat Pay from the documented variables (PEM with literal \\n accepted)', () => {
    expect(paymentProviderFromConfig({ STAGE: 'prod', ...WECHATPAY_ENV })).toBeInstanceOf(WechatPayV3Provider);
  });

  it('names every missing WeChat Pay variable and never echoes key material', () => {
    const { WECHATPAY_APIV3_KEY: _k, WECHATPAY_PLATFORM_PUBLIC_KEY_ID: _i, ...partial } = WECHATPAY_ENV;
    expect(() => paymentProviderFromConfig({ STAGE: 'prod', ...partial })).toThrow(
      'WeChat Pay is not configured: WECHATPAY_APIV3_KEY, WECHATPAY_PLATFORM_PUBLIC_KEY_ID missing',
    );
    let message = '';
    try {
      paymentProviderFromConfig({ STAGE: 'prod', ...WECHATPAY_ENV, WECHATPAY_PLATFORM_CERTIFICATES: '{"x": 1}' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('WECHATPAY_PLATFORM_CERTIFICATES must be a JSON object {serial: PEM}');
  });

  it('refuses an unknown provider name', () => {
    expect(() => paymentProviderFromConfig({ PAYMENT_PROVIDER: 'alipay' })).toThrow(/"wechatpay" or "simulated"/);
  });
});
