/**
 * The fake api.mch.weixin.qq.com of the WechatPayV3Provider tests: it checks every request's
 * Authorization signature with the merchant public key and answers bodies signed with the
 * platform key (Wechatpay-Timestamp/Nonce/Signature/Serial), written with plain node:crypto so
 * the provider is not only checked against itself. Keys, merchant settings and a sample order.
 */
import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { expect } from 'vitest';
import { WechatPayV3Provider, type WechatPayV3Config } from './wechatpay-v3-provider';

export const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

export const MCHID = '1900009191';
export const APPID = 'wxd678efh567hg6787';
export const MERCHANT_SERIAL = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB';
export const PUB_KEY_ID = 'PUB_KEY_ID_0119000091912025010100000000000001';
export const APIV3_KEY = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
export const NOW = new Date('2025-03-10T02:00:00Z'); // 10:00 in Shanghai
export const NOW_S = Math.floor(NOW.getTime() / 1000);
export const PEM = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }) as string;

// --- the fake WeChat Pay server ------------------------------------------------------------------

export interface SeenRequest {
  method: string;
  pathWithQuery: string;
  body: string;
  headers: Headers;
  auth: Record<string, string>;
}

export type Answer = { status: number; body?: unknown; sign?: 'platform' | 'none' | 'other-key' | 'tamper'; serial?: string };

export function signWith(key: KeyObject, message: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(key, 'base64');
}

export function fakeWechatPay(answer: (req: SeenRequest) => Answer) {
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

/** The merchant settings of the tests (keys generated per run). */
export function merchantConfig() {
  return {
    mchid: MCHID,
    appid: APPID,
    merchantSerialNo: MERCHANT_SERIAL,
    merchantPrivateKey: PEM(merchant.privateKey, 'pkcs8'),
    apiV3Key: APIV3_KEY,
    platformPublicKey: PEM(platform.publicKey, 'spki'),
    platformPublicKeyId: PUB_KEY_ID,
  };
}

export function provider(answer: (req: SeenRequest) => Answer, extra: Partial<WechatPayV3Config> = {}) {
  const fake = fakeWechatPay(answer);
  const warnings: Array<{ msg: string; fields: Record<string, unknown> }> = [];
  const p = new WechatPayV3Provider({
    ...merchantConfig(),
    fetch: fake.fetchFn,
    now: () => NOW,
    warn: (msg, fields) => warnings.push({ msg, fields }),
    ...extra,
  });
  return { p, seen: fake.seen, warnings };
}

export async function caught(pr: Promise<unknown>): Promise<Error> {
  try {
    await pr;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

export const ORDER = {
  outTradeNo: 'JY20250310A0001',
  description: '家庭医生签约服务费-基础包',
  amountFen: 12000,
  payerOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  notifyUrl: 'https://api.jiayi.example.cn/pay/notify',
  expiresAt: new Date('2025-03-10T02:30:00Z'),
  attach: 'agreement:7f3c',
};
