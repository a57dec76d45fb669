/**
 * WechatPayV3Provider against a fake api.mch.weixin.qq.com that follows the documented formats:
 * it checks every request's Authorization signature with the merchant public key and answers
 * bodies signed with the platform key (Wechatpay-Timestamp/Nonce/Signature/Serial). The
 * notification helpers below are written independently of signing.ts (plain node:crypto), so
 * the provider is not only checked against itself.
 */
import { createCipheriv, createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, RateLimitedError, UpstreamError, ValidationError } from '@jiayi/shared/domain/errors';
import { NotificationRejected } from './payment-provider';
import { WechatPayV3Provider, type WechatPayV3Config } from './wechatpay-v3-provider';
import { wechatPayErrorInfo } from './wechatpay-errors';
import { SIMULATED_PAY_PRIVATE_KEY_PEM } from './simulated-keys.local-only';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

const MCHID = '1900009191';
const APPID = 'wxd678efh567hg6787';
const MERCHANT_SERIAL = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB';
const PUB_KEY_ID = 'PUB_KEY_ID_0119000091912025010100000000000001';
const APIV3_KEY = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
const NOW = new Date('2025-03-10T02:00:00Z'); // 10:00 in Shanghai
const NOW_S = Math.floor(NOW.getTime() / 1000);
const PEM = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }) as string;

// --- the fake WeChat Pay server ------------------------------------------------------------------

interface SeenRequest {
  method: string;
  pathWithQuery: string;
  body: string;
  headers: Headers;
  auth: Record<string, string>;
}

type Answer = { status: number; body?: unknown; sign?: 'platform' | 'none' | 'other-key' | 'tamper'; serial?: string };

function signWith(key: KeyObject, message: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(key, 'base64');
}

function fakeWechatPay(answer: (req: SeenRequest) => Answer) {
  const seen: SeenRequest[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    expect(url.origin).toBe('https://api.mch.weixin.qq.com');
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? init.body : '';
    const headers = new Headers(init?.headers);
    const authHeader = headers.get('authorization') ?? '';
    const auth: Record<string, string> = {};
    expect(authHeader.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    for (const m of authHeader.slice('WECHATPAY2-SHA256-RSA2048 '.length).matchAll(/(\w+)="([^"]*)"/g)) auth[m[1]!] = m[2]!;
    const req: SeenRequest = { method, pathWithQuery: url.pathname + url.search, body, headers, auth };
    seen.push(req);

    // What WeChat Pay does first: check the merchant signature.
    const message = `${method}\n${req.pathWithQuery}\n${auth.timestamp}\n${auth.nonce_str}\n${body}\n`;
    const valid =
      auth.mchid === MCHID &&
      auth.serial_no === MERCHANT_SERIAL &&
      createVerify('RSA-SHA256').update(message, 'utf8').verify(merchant.publicKey, auth.signature ?? '', 'base64');
    const a: Answer = valid ? answer(req) : { status: 401, body: { code: 'SIGN_ERROR', message: '签名错误' } };

    const text = a.body === undefined ? '' : JSON.stringify(a.body);
    const ts = String(NOW_S);
    const nonce = 'fakeNonce0123456789';
    const out = new Headers({ 'Request-ID': '08F78BB5AF0610D302A0ADA3D7C80E00' });
    if (text) out.set('Content-Type', 'application/json');
    if (a.sign !== 'none') {
      const signingKey = a.sign === 'other-key' ? otherKey.privateKey : platform.privateKey;
      out.set('Wechatpay-Timestamp', ts);
      out.set('Wechatpay-Nonce', nonce);
      out.set('Wechatpay-Serial', a.serial ?? PUB_KEY_ID);
      out.set('Wechatpay-Signature', signWith(signingKey, `${ts}\n${nonce}\n${text}\n`));
    }
    const sent = a.sign === 'tamper' ? text.replace(/\d/, '9') : text;
    return new Response(a.status === 204 ? null : sent, { status: a.status, headers: out });
  }) as typeof fetch;
  return { fetchFn, seen };
}

function provider(answer: (req: SeenRequest) => Answer, extra: Partial<WechatPayV3Config> = {}) {
  const fake = fakeWechatPay(answer);
  const warnings: Array<{ msg: string; fields: Record<string, unknown> }> = [];
  const p = new WechatPayV3Provider({
    mchid: MCHID,
    appid: APPID,
    merchantSerialNo: MERCHANT_SERIAL,
    merchantPrivateKey: PEM(merchant.privateKey, 'pkcs8'),
    apiV3Key: APIV3_KEY,
    platformPublicKey: PEM(platform.publicKey, 'spki'),
    platformPublicKeyId: PUB_KEY_ID,
    fetch: fake.fetchFn,
    now: () => NOW,
    warn: (msg, fields) => warnings.push({ msg, fields }),
    ...extra,
  });
  return { p, seen: fake.seen, warnings };
}

async function caught(pr: Promise<unknown>): Promise<Error> {
  try {
    await pr;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const ORDER = {
  outTradeNo: 'JY20250310A0001',
  description: '家庭医生签约服务费-基础包',
  amountFen: 12000,
  payerOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  notifyUrl: 'https://api.jiayi.example.cn/pay/notify',
  expiresAt: new Date('2025-03-10T02:30:00Z'),
  attach: 'agreement:7f3c',
};

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
      mchid: MCHID,
      appid: APPID,
      merchantSerialNo: MERCHANT_SERIAL,
      merchantPrivateKey: PEM(merchant.privateKey, 'pkcs8'),
      apiV3Key: APIV3_KEY,
      platformPublicKey: PEM(platform.publicKey, 'spki'),
      platformPublicKeyId: PUB_KEY_ID,
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

// --- notifications ------------------------------------------------------------------------------

const TRANSACTION = {
  mchid: MCHID,
  appid: APPID,
  out_trade_no: ORDER.outTradeNo,
  transaction_id: '4200002435202503101234567890',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'CMC',
  attach: 'agreement:7f3c',
  success_time: '2025-03-10T10:05:12+08:00',
  payer: { openid: ORDER.payerOpenid },
  amount: { total: 12000, payer_total: 11000, currency: 'CNY', payer_currency: 'CNY' },
};

/** What WeChat Pay POSTs to the notify URL, built with plain node:crypto. */
function wechatNotification(
  opts: { resource?: unknown; key?: string; at?: number; signer?: KeyObject; serial?: string; envelope?: Record<string, unknown> } = {},
) {
  const key = Buffer.from(opts.key ?? APIV3_KEY, 'utf8');
  const nonce = 'fdasflkja484';
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const ct = Buffer.concat([cipher.update(JSON.stringify(opts.resource ?? TRANSACTION), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const rawBody = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2025-03-10T10:05:13+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data: 'transaction', nonce },
    ...opts.envelope,
  });
  const ts = String(opts.at ?? NOW_S);
  const hNonce = 'NbxYyDR8JAUajMt6JtOeqrhJHjRS7tpp';
  return {
    headers: {
      'Wechatpay-Timestamp': ts,
      'Wechatpay-Nonce': hNonce,
      'Wechatpay-Signature': signWith(opts.signer ?? platform.privateKey, `${ts}\n${hNonce}\n${rawBody}\n`),
      'Wechatpay-Serial': opts.serial ?? PUB_KEY_ID,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      'Content-Type': 'application/json',
    } as Record<string, string>,
    rawBody,
  };
}

async function rejection(pr: Promise<unknown>): Promise<NotificationRejected> {
  const e = await caught(pr);
  expect(e).toBeInstanceOf(NotificationRejected);
  return e as NotificationRejected;
}

describe('WechatPayV3Provider.parseNotification', () => {
  const { p } = provider(() => ({ status: 500 }));

  it('verifies, decrypts and maps a payment success', async () => {
    const n = wechatNotification();
    await expect(p.parseNotification({ ...n, now: NOW })).resolves.toEqual({
      eventId: 'EV-2018022511223320873',
      eventType: 'TRANSACTION.SUCCESS',
      outTradeNo: ORDER.outTradeNo,
      transactionId: '4200002435202503101234567890',
      tradeState: 'SUCCESS',
      amountFen: { total: 12000, payerTotal: 11000 },
      successTime: '2025-03-10T10:05:12+08:00',
      payerOpenid: ORDER.payerOpenid,
      attach: 'agreement:7f3c',
    });
  });

  it('accepts lower-cased header names (API Gateway) ', async () => {
    const n = wechatNotification();
    const lower = Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k.toLowerCase(), v]));
    await expect(p.parseNotification({ headers: lower, rawBody: n.rawBody, now: NOW })).resolves.toMatchObject({ tradeState: 'SUCCESS' });
  });

  it('tampered body → bad_signature (401)', async () => {
    const n = wechatNotification();
    const e = await rejection(p.parseNotification({ ...n, rawBody: n.rawBody.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS ') , now: NOW }));
    expect(e.reason).toBe('bad_signature');
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('signed by another key → bad_signature', async () => {
    const e = await rejection(p.parseNotification({ ...wechatNotification({ signer: otherKey.privateKey }), now: NOW }));
    expect(e.reason).toBe('bad_signature');
  });

  it('missing signature headers → bad_signature', async () => {
    const n = wechatNotification();
    const { 'Wechatpay-Signature': _s, ...headers } = n.headers;
    const e = await rejection(p.parseNotification({ headers, rawBody: n.rawBody, now: NOW }));
    expect(e.reason).toBe('bad_signature');
  });

  it('a WECHATPAY/SIGNTEST/ probe → bad_signature', async () => {
    const n = wechatNotification();
    const e = await rejection(p.parseNotification({ headers: { ...n.headers, 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/abc' }, rawBody: n.rawBody, now: NOW }));
    expect(e.reason).toBe('bad_signature');
  });

  it('wrong serial → unknown_serial (401)', async () => {
    const e = await rejection(p.parseNotification({ ...wechatNotification({ serial: 'PUB_KEY_ID_OTHER' }), now: NOW }));
    expect(e.reason).toBe('unknown_serial');
    expect(e.status).toBe(401);
  });

  it.each([
    [301, 'stale'],
    [-301, 'stale'],
    [300, 'ok'],
    [-300, 'ok'],
  ])('timestamp %i s away from now → %s', async (offset, outcome) => {
    const n = wechatNotification({ at: NOW_S - offset });
    if (outcome === 'ok') {
      await expect(p.parseNotification({ ...n, now: NOW })).resolves.toMatchObject({ outTradeNo: ORDER.outTradeNo });
    } else {
      const e = await rejection(p.parseNotification({ ...n, now: NOW }));
      expect(e.reason).toBe('stale_timestamp');
      expect(e.status).toBe(401);
    }
  });

  it('encrypted with another APIv3 key → decrypt_failed (400)', async () => {
    const e = await rejection(p.parseNotification({ ...wechatNotification({ key: 'ZZZZe1ZJB1kG2e7VfTs3jQzaWizur8Gb' }), now: NOW }));
    expect(e.reason).toBe('decrypt_failed');
    expect(e.status).toBe(400);
  });

  it('authentic but not a JSON envelope → malformed', async () => {
    const rawBody = 'not json';
    const ts = String(NOW_S);
    const headers = { 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': 'n', 'Wechatpay-Serial': PUB_KEY_ID, 'Wechatpay-Signature': signWith(platform.privateKey, `${ts}\nn\n${rawBody}\n`) };
    const e = await rejection(p.parseNotification({ headers, rawBody, now: NOW }));
    expect(e.reason).toBe('malformed');
    expect(e.status).toBe(400);
  });

  it.each([
    ['an unknown trade_state', { ...TRANSACTION, trade_state: 'PAID' }],
    ['a fractional amount', { ...TRANSACTION, amount: { total: 120.5, payer_total: 120.5 } }],
    ['another merchant', { ...TRANSACTION, mchid: '1900000001' }],
    ['another app', { ...TRANSACTION, appid: 'wx0000000000000000' }],
    ['no payer', { ...TRANSACTION, payer: undefined }],
  ])('authentic resource with %s → malformed', async (_name, resource) => {
    const e = await rejection(p.parseNotification({ ...wechatNotification({ resource }), now: NOW }));
    expect(e.reason).toBe('malformed');
  });

  it('an unsupported algorithm → malformed', async () => {
    const n = wechatNotification();
    const body = JSON.parse(n.rawBody);
    const e = await rejection(
      p.parseNotification({
        ...wechatNotification({ envelope: { resource: { ...body.resource, algorithm: 'AEAD_SM4_GCM' } } }),
        now: NOW,
      }),
    );
    expect(e.reason).toBe('malformed');
  });

  it('payer_total defaults to total when absent', async () => {
    const n = wechatNotification({ resource: { ...TRANSACTION, amount: { total: 500, currency: 'CNY' } } });
    await expect(p.parseNotification({ ...n, now: NOW })).resolves.toMatchObject({ amountFen: { total: 500, payerTotal: 500 } });
  });
});

// --- platform certificates and configuration ----------------------------------------------------

/** A throwaway self-signed certificate (openssl, test-only) standing in for a platform certificate. */
const CERT_SERIAL = '2C80EB70B42F6C8C0F3C59DC71DE0C4CF00067E8';
const CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIDMTCCAhmgAwIBAgIULIDrcLQvbIwPPFnccd4MTPAAZ+gwDQYJKoZIhvcNAQEL
BQAwJzElMCMGA1UEAwwcVGVucGF5LmNvbSBSb290IENBIHRlc3Qtb25seTAgFw0y
NjExMjUyMDM5MThaGA8yMTI2MTEwMTIwMzkxOFowJzElMCMGA1UEAwwcVGVucGF5
LmNvbSBSb290IENBIHRlc3Qtb25seTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCC
AQoCggEBAKJIq7oVVFt3WeKSp1UabZzRvS1afme1RNp2Nsy3+V9mKMYRNSzUyugy
DBxadxbmoWfOol0RHYqnVgxM1EZ1NrYrKmWgzZjiNVFynHCJF1wTbNqIUaJV0qsh
vn02rZK7inunvm4fTJSSU7V+T65E+zFpxfASNtKM3lkecUiqwtnbG4KF21yBJdYf
M2N44YbVOdwyhxBPfk57Mz9DD31I9lssRwAzbcqB25c223nzi7jALmlaYrwboOBn
w2XcVciFVj9U2muVefJzF136OJ7mYJJiMxP5NhGnk2Oqu1kWb1BAD48bQiaSGFCx
fH4sYzvYQqbasbFRVzqT+9z40fcbGI0CAwEAAaNTMFEwHQYDVR0OBBYEFB5+AXA4
V1piss3Y79RaHDTBVP6WMB8GA1UdIwQYMBaAFB5+AXA4V1piss3Y79RaHDTBVP6W
MA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAGWt69TQhjuIeOBo
RLdodSfOfNrcbXU6UOat0EyG7TPj8kFdbjBju8457VZ0BAS96jp8lhMgCFGLar8Y
1jq6PKdd9FkYBi003lVOXX5iHCmKPngl/BUh7NTSXoEOXO4zaC2g6tW553Tz95y4
Jk6Ph+1FSVttK5kCLMLXNyZR12jez6ZugIQzHp3GTxykOxH6eQC4iTbK4+FbeufZ
I/GtFjQiZ7arM8jGlQ3cNdHGuEUxW0AiAEu8PL62Ozyu6wO62P6Ayy98VJWV8hsh
+6hD5svE1qtfYSz3cu/wbDa29Pw6iNwFUifDVLlHa3w+1PO3iwMTQTwi0wzDEooy
179Cyq4=
-----END CERTIFICATE-----`;
const CERT_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCiSKu6FVRbd1ni
kqdVGm2c0b0tWn5ntUTadjbMt/lfZijGETUs1MroMgwcWncW5qFnzqJdER2Kp1YM
TNRGdTa2KyploM2Y4jVRcpxwiRdcE2zaiFGiVdKrIb59Nq2Su4p7p75uH0yUklO1
fk+uRPsxacXwEjbSjN5ZHnFIqsLZ2xuChdtcgSXWHzNjeOGG1TncMocQT35OezM/
Qw99SPZbLEcAM23KgduXNtt584u4wC5pWmK8G6DgZ8Nl3FXIhVY/VNprlXnycxdd
+jie5mCSYjMT+TYRp5NjqrtZFm9QQA+PG0ImkhhQsXx+LGM72EKm2rGxUVc6k/vc
+NH3GxiNAgMBAAECggEAP5r5B72taw4b4kR1plLt7F1+ZqTFz3MKMg/MSa+/40bA
q2T6MQCUKK7Y9VH1xDmPwIaKN6zqJbqRbM++EYGGeJ7xhpSgkI/0suAXdboduD56
1yo/yL8Xi3B131DLdivgSrgD2NiWpNK3UXbY1yZ9R7A73uzcpOiGi2p1nzQim8z3
P8fOymFcyQ7XpJ/Pcdcqza/UHJT4icIGgCdOflRRtObh6Q0gKMfo0J1iBed5ZySU
bvfEnZEFvuMR/6HMQ33PxWMBgQHv6rWZcV3hXHME9NdqIG1Ldtz7Dvabj4znf57E
scthNuSe+2ROYiCDFfCv/E4ITSUJ9X2H3k56DUJW5wKBgQDbyLwSvi8qrZUs6Sp6
c+VSOulcNFRmPeDk1DQVvCs37NGpYPOkfoeXLlWMZ3ifKll3gYl2LNrYS9MQIhs7
JOB48BdtHnzWD0bbVUCj9G8KialrW1pL4JvVqAuH6b8ZFVXHR9SBXll+n4mQ9H31
g59znARPC6MWU5lysJN97yskOwKBgQC9Bl+2G+3lyU9FlbldkxaHIe4ISXmcPa9O
ykdX+siAZLsIJI7xFpjnvhhfFxbxnO1kxcdzQtcB/06c+6FK5zwgMlCeQrZA3ZJR
bBIt2FKJTqWV2KX42HIe+ZImV7OOBDKHstE4WGumLLm8EFt7UvntTh6zLuxtaqOO
X1rswKtR1wKBgQCxSZY0REeF1KmtpZQHXO+RykWtg+TE6Is96tLs6XGvVg+14qgG
e65iTBTkAh8xvRaYKNy6f+o0ac2iiPCQX+nWhE1RTzOB9KbCjF1tI+JijLMmD3Wi
GVd7HGfYxbvJvwUHkDCh/nqQgp6UWDQ21GrN9f8fyBJREzSHaFpBTqjtOwKBgHy7
bgEPoQZWttamHDGhU+ZL/3S8d2EgW0RUuotV02TWE40mAqUYUkHp8M8ev2ckNIqg
8CIg4xxQSqHQcfipacWdLhGg1/8pttm/xKc37g7pNN8SnUL+ISBLc6OVj8iRAH8H
AoR55F89eDqfWJ6ifIWZXSzENANnsRHL3oYIBYT1AoGAfAFmfy4Rv2cA62jMO3wW
bXVZv7MIUqYop6HrmYTQVCg2qVf+0WpBW04Em2A6My0F2DktthdYF6DyPPfbKtsB
VZit/Fo6FInOd5lAliJSppIahSdJKwwb59K8Nw9pw+hmQAEE6ECl+fzF5sGQv/Wd
CzTsOwQSMyTRigv0GW27mG0=
-----END PRIVATE KEY-----`;

describe('WechatPayV3Provider platform certificate mode', () => {
  it('verifies notifications with a platform certificate picked by serial, alongside the public key', async () => {
    const { p } = provider(() => ({ status: 500 }), { platformCertificates: { [CERT_SERIAL]: CERT_PEM } });
    const { createPrivateKey } = await import('node:crypto');
    const n = wechatNotification({ signer: createPrivateKey(CERT_KEY_PEM), serial: CERT_SERIAL });
    await expect(p.parseNotification({ ...n, now: NOW })).resolves.toMatchObject({ tradeState: 'SUCCESS' });
    // the public key id still works
    await expect(p.parseNotification({ ...wechatNotification(), now: NOW })).resolves.toMatchObject({ tradeState: 'SUCCESS' });
  });

  it('works with certificates only (no public key)', async () => {
    const { p } = provider(() => ({ status: 500 }), {
      platformPublicKey: undefined,
      platformPublicKeyId: undefined,
      platformCertificates: { [CERT_SERIAL]: CERT_PEM.replace(/\n/g, '\\n') },
    });
    const { createPrivateKey } = await import('node:crypto');
    const n = wechatNotification({ signer: createPrivateKey(CERT_KEY_PEM), serial: CERT_SERIAL });
    await expect(p.parseNotification({ ...n, now: NOW })).resolves.toMatchObject({ tradeState: 'SUCCESS' });
  });

  it.each([
    ['an APIv3 key that is not 32 bytes', { apiV3Key: 'short' }, /32 bytes/],
    ['no WeChat Pay key at all', { platformPublicKey: undefined, platformPublicKeyId: undefined }, /public key or platform certificates/],
    ['a public key without its id', { platformPublicKeyId: undefined }, /PUB_KEY_ID/],
    ['the committed simulated key as merchant key', { merchantPrivateKey: SIMULATED_PAY_PRIVATE_KEY_PEM }, /local-only/],
    ['an empty mchid', { mchid: '' }, /mchid/],
  ])('refuses %s at construction', (_name, patch, message) => {
    expect(() => provider(() => ({ status: 500 }), patch as Partial<WechatPayV3Config>)).toThrow(message);
  });
});
