/**
 * WechatPayV3Provider notifications (verified, decrypted, refused) and the platform certificate
 * mode. The notification helpers below are written independently of signing.ts (plain
 * node:crypto), so the provider is not only checked against itself.
 */
import { createCipheriv, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NotificationRejected } from './payment-provider';
import type { WechatPayV3Config } from './wechatpay-v3-provider';
import { SIMULATED_PAY_PRIVATE_KEY_PEM } from './simulated-keys.local-only';
import { APIV3_KEY, APPID, caught, MCHID, NOW, NOW_S, ORDER, otherKey, platform, provider, PUB_KEY_ID, signWith } from './wechatpay-v3.testkit';

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
