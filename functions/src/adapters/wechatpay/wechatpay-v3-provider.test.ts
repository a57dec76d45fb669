/**
 * WechatPayV3Provider requests against the fake WeChat Pay server (./wechatpay-v3.testkit.ts):
 * orders, query / close / refund, response signatures and the error mapping.
 */
import { createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, RateLimitedError, UpstreamError, ValidationError } from '@jiayi/shared/domain/errors';
import { WechatPayV3Provider } from './wechatpay-v3-provider';
import { wechatPayErrorInfo } from './wechatpay-errors';
import { APPID, caught, MCHID, merchant, merchantConfig, NOW, NOW_S, ORDER, otherKey, PEM, provider } from './wechatpay-v3.testkit';

// --- requests ------------------------------------------------------------------------------------

describe('WechatPayV3Provider.createOrder', () => {
  it('posts a signed JSAPI order and returns verifiable wx.requestPayment parameters', async () => {
    const { p, seen } = provider(() => ({ status: 200, body: { prepay_id: 'wx201410272009395522657a690389285100' } }));
    const out = await p.createOrder(ORDER);

    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.pathWithQuery).toBe('/v3/pay/transactions/jsapi');
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.headers.get('accept')).toBe('application/json');
    expect(req.headers.get('user-agent')).toBeTruthy();
    expect(req.auth.timestamp).toBe(String(NOW_S));
    expect(req.auth.nonce_str).toMatch(/^[0-9A-F]{32}$/);
    expect(JSON.parse(req.body)).toEqual({
      appid: APPID,
      mchid: MCHID,
      description: ORDER.description,
      out_trade_no: ORDER.outTradeNo,
      time_expire: '2025-03-10T10:30:00+08:00',
      notify_url: ORDER.notifyUrl,
      attach: ORDER.attach,
      amount: { total: 12000, currency: 'CNY' },
      payer: { openid: ORDER.payerOpenid },
    });

    expect(out.prepayId).toBe('wx201410272009395522657a690389285100');
    const rp = out.requestPayment;
    expect(rp).toMatchObject({ timeStamp: String(NOW_S), package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    expect(rp.simulated).toBeUndefined();
    const paySignOk = createVerify('RSA-SHA256')
      .update(`${APPID}\n${rp.timeStamp}\n${rp.nonceStr}\n${rp.package}\n`, 'utf8')
      .verify(merchant.publicKey, rp.paySign, 'base64');
    expect(paySignOk).toBe(true);
  });

  it('omits attach when not given', async () => {
    const { p, seen } = provider(() => ({ status: 200, body: { prepay_id: 'wx1' } }));
    const { attach: _attach, ...noAttach } = ORDER;
    await p.createOrder(noAttach);
    expect(JSON.parse(seen[0]!.body)).not.toHaveProperty('attach');
  });

  it.each([
    ['description over 127 bytes (43 Han characters)', { description: '家'.repeat(43) }, 'description'],
    ['empty description', { description: ' ' }, 'description'],
    ['fractional fen', { amountFen: 100.5 }, 'amountFen'],
    ['zero amount', { amountFen: 0 }, 'amountFen'],
    ['notify URL with a query', { notifyUrl: 'https://api.jiayi.example.cn/pay/notify?x=1' }, 'notifyUrl'],
    ['http notify URL', { notifyUrl: 'http://api.jiayi.example.cn/pay/notify' }, 'notifyUrl'],
    ['expiry in the past', { expiresAt: new Date('2025-03-10T01:59:59Z') }, 'expiresAt'],
    ['out_trade_no too short', { outTradeNo: 'JY1' }, 'outTradeNo'],
    ['out_trade_no with a dot', { outTradeNo: 'JY.20250310' }, 'outTradeNo'],
    ['attach over 128 characters', { attach: 'a'.repeat(129) }, 'attach'],
  ])('refuses %s before calling WeChat Pay', async (_name, patch, path) => {
    const { p, seen } = provider(() => ({ status: 200, body: { prepay_id: 'wx1' } }));
    const e = await caught(p.createOrder({ ...ORDER, ...patch }));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).fields.map((f) => f.path)).toContain(path);
    expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(seen).toHaveLength(0);
  });

  it('accepts a description of exactly 127 bytes (42 Han characters + 1 ASCII)', async () => {
    const { p } = provider(() => ({ status: 200, body: { prepay_id: 'wx1' } }));
    await expect(p.createOrder({ ...ORDER, description: `${'家'.repeat(42)}A` })).resolves.toMatchObject({ prepayId: 'wx1' });
  });
});

describe('WechatPayV3Provider query / close / refund', () => {
  it('queries by out_trade_no with mchid in the signed query string', async () => {
    const { p, seen } = provider(() => ({
      status: 200,
      body: {
        appid: APPID,
        mchid: MCHID,
        out_trade_no: 'JY|2025*0001',
        transaction_id: '4200002435202503101234567890',
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'CMC',
        attach: 'agreement:7f3c',
        success_time: '2025-03-10T10:05:12+08:00',
        payer: { openid: ORDER.payerOpenid },
        amount: { total: 12000, payer_total: 11000, currency: 'CNY', payer_currency: 'CNY' },
      },
    }));
    const status = await p.queryOrder('JY|2025*0001');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.pathWithQuery).toBe(`/v3/pay/transactions/out-trade-no/JY%7C2025*0001?mchid=${MCHID}`);
    expect(seen[0]!.body).toBe('');
    expect(status).toEqual({
      outTradeNo: 'JY|2025*0001',
      tradeState: 'SUCCESS',
      tradeStateDesc: '支付成功',
      transactionId: '4200002435202503101234567890',
      amountFen: { total: 12000, payerTotal: 11000 },
      successTime: '2025-03-10T10:05:12+08:00',
      payerOpenid: ORDER.payerOpenid,
      attach: 'agreement:7f3c',
    });
  });

  it('maps an unpaid order', async () => {
    const { p } = provider(() => ({
      status: 200,
      body: { appid: APPID, mchid: MCHID, out_trade_no: ORDER.outTradeNo, trade_state: 'NOTPAY', trade_state_desc: '订单未支付', amount: { total: 12000, currency: 'CNY' } },
    }));
    await expect(p.queryOrder(ORDER.outTradeNo)).resolves.toEqual({
      outTradeNo: ORDER.outTradeNo,
      tradeState: 'NOTPAY',
      tradeStateDesc: '订单未支付',
      amountFen: { total: 12000 },
    });
  });

  it('closes with {mchid} and accepts the signed empty 204', async () => {
    const { p, seen } = provider(() => ({ status: 204, sign: 'platform' }));
    await expect(p.closeOrder(ORDER.outTradeNo)).resolves.toBeUndefined();
    expect(seen[0]!.pathWithQuery).toBe(`/v3/pay/transactions/out-trade-no/${ORDER.outTradeNo}/close`);
    expect(JSON.parse(seen[0]!.body)).toEqual({ mchid: MCHID });
  });

  it('refunds with amounts in fen and maps the status', async () => {
    const { p, seen } = provider((req) => {
      const b = JSON.parse(req.body);
      return {
        status: 200,
        body: {
          refund_id: '50000000382019052709732678859',
          out_refund_no: b.out_refund_no,
          transaction_id: '4200002435202503101234567890',
          out_trade_no: b.out_trade_no,
          channel: 'ORIGINAL',
          user_received_account: '招商银行信用卡0403',
          create_time: '2025-03-11T09:00:00+08:00',
          status: 'PROCESSING',
          amount: { total: 12000, refund: 3000, payer_total: 12000, payer_refund: 3000, currency: 'CNY' },
        },
      };
    });
    const r = await p.refund({ outTradeNo: ORDER.outTradeNo, outRefundNo: 'RF20250311001', refundFen: 3000, totalFen: 12000, reason: '服务包变更' });
    expect(seen[0]!.pathWithQuery).toBe('/v3/refund/domestic/refunds');
    expect(JSON.parse(seen[0]!.body)).toEqual({
      out_trade_no: ORDER.outTradeNo,
      out_refund_no: 'RF20250311001',
      reason: '服务包变更',
      amount: { refund: 3000, total: 12000, currency: 'CNY' },
    });
    expect(r).toEqual({ refundId: '50000000382019052709732678859', outRefundNo: 'RF20250311001', status: 'PROCESSING' });
  });

  it('queries a refund by out_refund_no', async () => {
    const { p, seen } = provider(() => ({ status: 200, body: { refund_id: '5000', out_refund_no: 'RF1', status: 'SUCCESS' } }));
    await expect(p.queryRefund('RF1')).resolves.toEqual({ refundId: '5000', outRefundNo: 'RF1', status: 'SUCCESS' });
    expect(seen[0]!.pathWithQuery).toBe('/v3/refund/domestic/refunds/RF1');
    expect(seen[0]!.method).toBe('GET');
  });

  it('refuses a refund larger than the order without calling WeChat Pay', async () => {
    const { p, seen } = provider(() => ({ status: 200, body: {} }));
    const e = await caught(p.refund({ outTradeNo: ORDER.outTradeNo, outRefundNo: 'RF1', refundFen: 12001, totalFen: 12000, reason: '' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).fields[0]!.path).toBe('refundFen');
    expect(seen).toHaveLength(0);
  });
});

// --- response verification ----------------------------------------------------------------------

describe('WechatPayV3Provider response signatures', () => {
  it.each([
    ['a tampered body', { sign: 'tamper' as const }],
    ['a signature by another key', { sign: 'other-key' as const }],
    ['an unknown Wechatpay-Serial', { serial: 'PUB_KEY_ID_UNKNOWN' }],
    ['no signature at all', { sign: 'none' as const }],
  ])('rejects a 200 with %s', async (_name, patch) => {
    const { p, warnings } = provider(() => ({ status: 200, body: { prepay_id: 'wx123' }, ...patch }));
    const e = await caught(p.createOrder(ORDER));
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).code).toBe('WECHATPAY_BAD_SIGNATURE');
    expect(warnings[0]!.msg).toBe('wechatpay response signature rejected');
  });

  it('rejects a 200 whose body is not the documented shape', async () => {
    const { p } = provider(() => ({ status: 200, body: { prepayid: 'wx123' } }));
    const e = await caught(p.createOrder(ORDER));
    expect((e as UpstreamError).code).toBe('WECHATPAY_BAD_RESPONSE');
  });

  it('a request signed with the wrong merchant key is answered SIGN_ERROR (the fake really checks)', async () => {
    const { p } = provider(() => ({ status: 200, body: { prepay_id: 'wx1' } }), { merchantPrivateKey: PEM(otherKey.privateKey, 'pkcs8') });
    const e = await caught(p.createOrder(ORDER));
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).code).toBe('WECHATPAY_SIGN_ERROR');
    expect(wechatPayErrorInfo(e)).toMatchObject({ httpStatus: 401, code: 'SIGN_ERROR', retryable: false });
  });

  it('a network failure is a retryable 502 and the log carries no key material', async () => {
    const warnings: Array<{ msg: string; fields: Record<string, unknown> }> = [];
    const p = new WechatPayV3Provider({
      ...merchantConfig(),
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
      now: () => NOW,
      warn: (msg, fields) => warnings.push({ msg, fields }),
    });
    const e = await caught(p.queryOrder(ORDER.outTradeNo));
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).code).toBe('WECHATPAY_UNAVAILABLE');
    expect(wechatPayErrorInfo(e)?.retryable).toBe(true);
    expect(JSON.stringify(warnings)).not.toMatch(/PRIVATE KEY|WECHATPAY2-SHA256/);
  });
});

// --- documented error codes ---------------------------------------------------------------------

describe('WechatPayV3Provider error mapping', () => {
  const cases: Array<[op: 'createOrder' | 'queryOrder' | 'closeOrder' | 'refund', status: number, code: string, message: string, cls: unknown, ours: string, retryable: boolean]> = [
    ['createOrder', 400, 'ORDERPAID', '该订单已支付', ConflictError, 'WECHATPAY_ORDER_PAID', false],
    ['createOrder', 403, 'OUT_TRADE_NO_USED', '商户订单号重复', ConflictError, 'WECHATPAY_OUT_TRADE_NO_USED', false],
    ['createOrder', 400, 'INVALID_REQUEST', '201 商户订单号重复', ConflictError, 'WECHATPAY_OUT_TRADE_NO_USED', false],
    ['createOrder', 403, 'NOTENOUGH', '用户帐号余额不足', ConflictError, 'WECHATPAY_NOT_ENOUGH', false],
    ['createOrder', 429, 'FREQUENCY_LIMITED', '频率超限', RateLimitedError, 'WECHATPAY_FREQUENCY_LIMITED', true],
    ['createOrder', 500, 'SYSTEM_ERROR', '系统错误', UpstreamError, 'WECHATPAY_SYSTEM_ERROR', true],
    ['createOrder', 400, 'PARAM_ERROR', '参数错误', UpstreamError, 'WECHATPAY_PARAM_ERROR', false],
    ['createOrder', 400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配', UpstreamError, 'WECHATPAY_MERCHANT_CONFIG', false],
    ['createOrder', 403, 'RULELIMIT', '业务规则限制', ConflictError, 'WECHATPAY_TRADE_REFUSED', false],
    ['queryOrder', 404, 'ORDERNOTEXIST', '订单不存在', NotFoundError, 'WECHATPAY_ORDER_NOT_EXIST', false],
    ['closeOrder', 400, 'ORDERPAID', '订单已支付', ConflictError, 'WECHATPAY_ORDER_PAID', false],
    ['refund', 403, 'NOT_ENOUGH', '基本账户余额不足', UpstreamError, 'WECHATPAY_REFUND_FUNDS_INSUFFICIENT', true],
    ['refund', 403, 'USER_ACCOUNT_ABNORMAL', '退款请求失败', ConflictError, 'WECHATPAY_USER_ACCOUNT_ABNORMAL', false],
    ['refund', 404, 'RESOURCE_NOT_EXISTS', '订单不存在', NotFoundError, 'WECHATPAY_ORDER_NOT_EXIST', false],
    ['refund', 400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额', ConflictError, 'WECHATPAY_REFUND_REFUSED', false],
    ['refund', 500, 'SYSTEM_ERROR', '系统超时', UpstreamError, 'WECHATPAY_SYSTEM_ERROR', true],
    ['queryOrder', 502, 'SOMETHING_NEW', '?', UpstreamError, 'WECHATPAY_SYSTEM_ERROR', true],
    ['queryOrder', 429, 'SOMETHING_NEW', '?', RateLimitedError, 'WECHATPAY_FREQUENCY_LIMITED', true],
    ['queryOrder', 403, 'SOMETHING_NEW', '?', UpstreamError, 'WECHATPAY_ERROR', false],
  ];

  it.each(cases)('%s: HTTP %i %s → typed error', async (op, status, code, message, cls, ours, retryable) => {
    const { p, warnings } = provider(() => ({ status, body: { code, message } }));
    const call =
      op === 'createOrder'
        ? p.createOrder(ORDER)
        : op === 'queryOrder'
          ? p.queryOrder(ORDER.outTradeNo)
          : op === 'closeOrder'
            ? p.closeOrder(ORDER.outTradeNo)
            : p.refund({ outTradeNo: ORDER.outTradeNo, outRefundNo: 'RF1', refundFen: 100, totalFen: 12000, reason: '退费' });
    const e = await caught(call);
    expect(e).toBeInstanceOf(cls as new (...args: never[]) => Error);
    expect((e as ConflictError).code).toBe(ours);
    expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(e.message).not.toBe(message); // our wording, not WeChat's
    expect(wechatPayErrorInfo(e)).toEqual({ operation: op, httpStatus: status, code, message, retryable });
    expect(warnings.some((w) => w.msg === 'wechatpay error' && w.fields.code === code && w.fields.signed === true)).toBe(true);
  });

  it('maps an unsigned error answer too (errors never move money) and notes it', async () => {
    const { p, warnings } = provider(() => ({ status: 500, body: { code: 'SYSTEM_ERROR', message: '系统错误' }, sign: 'none' }));
    const e = await caught(p.queryOrder(ORDER.outTradeNo));
    expect((e as UpstreamError).code).toBe('WECHATPAY_SYSTEM_ERROR');
    expect(warnings[0]!.fields.signed).toBe(false);
  });

  it('rejects a signed error answer whose signature is wrong', async () => {
    const { p } = provider(() => ({ status: 400, body: { code: 'ORDERPAID', message: '订单已支付' }, sign: 'other-key' }));
    const e = await caught(p.createOrder(ORDER));
    expect((e as UpstreamError).code).toBe('WECHATPAY_BAD_SIGNATURE');
  });
});
