import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DisabledSmsSender, HttpSmsSender, maskMobile, type HttpSmsSenderConfig, type SmsMessage } from './sms';

const URL_ = 'https://sms-gateway.jiayi.example.cn/v1/send';
const KEY_ID = 'jiayi-prod-1';
const SECRET = 'gateway-secret-0123456789abcdef-0123';
const NOW = new Date('2025-03-10T02:00:00Z');

const MESSAGE: SmsMessage = {
  mobile: '13812345678',
  templateCode: 'FOLLOW_UP_REMINDER',
  params: { name: '张三', date: '3月12日' },
  requestId: 'notif-7f3c',
};

/** A gateway that checks the documented HMAC signature before answering. */
function fakeGateway(answer: (body: any) => Response | { status: number; body: unknown }) {
  const seen: Array<{ headers: Headers; body: any; raw: string }> = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    expect(String(input)).toBe(URL_);
    expect(init?.method).toBe('POST');
    const headers = new Headers(init?.headers);
    const raw = String(init?.body);
    seen.push({ headers, body: JSON.parse(raw), raw });
    const expected = createHmac('sha256', SECRET)
      .update(`${headers.get('x-jiayi-timestamp')}\n${headers.get('x-jiayi-nonce')}\n${raw}\n`)
      .digest();
    const got = Buffer.from(headers.get('x-jiayi-signature') ?? '', 'base64');
    if (headers.get('x-jiayi-key-id') !== KEY_ID || got.length !== expected.length || !timingSafeEqual(got, expected)) {
      return new Response(JSON.stringify({ ok: false, code: 'AUTH', message: 'bad signature' }), { status: 401 });
    }
    const a = answer(JSON.parse(raw));
    return a instanceof Response ? a : new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fn, seen };
}

function sender(fake: ReturnType<typeof fakeGateway>, extra: Partial<HttpSmsSenderConfig> = {}) {
  const warnings: Array<{ msg: string; fields: Record<string, unknown> }> = [];
  const s = new HttpSmsSender({
    url: URL_,
    keyId: KEY_ID,
    secret: SECRET,
    fetch: fake.fn,
    now: () => NOW,
    nonce: () => '0123456789abcdef0123456789abcdef',
    warn: (msg, fields) => warnings.push({ msg, fields }),
    ...extra,
  });
  return { s, warnings };
}

describe('HttpSmsSender', () => {
  it('posts the documented body with a verifiable HMAC signature', async () => {
    const fake = fakeGateway(() => ({ status: 200, body: { ok: true, messageId: 'm-1' } }));
    const { s } = sender(fake);
    await expect(s.send(MESSAGE)).resolves.toEqual({ ok: true, messageId: 'm-1' });
    const req = fake.seen[0]!;
    expect(req.body).toEqual({ requestId: 'notif-7f3c', mobile: '13812345678', templateCode: 'FOLLOW_UP_REMINDER', params: { name: '张三', date: '3月12日' } });
    expect(req.headers.get('x-jiayi-timestamp')).toBe(String(NOW.getTime() / 1000));
    expect(req.headers.get('x-jiayi-nonce')).toBe('0123456789abcdef0123456789abcdef');
    expect(req.headers.get('content-type')).toBe('application/json');
  });

  it('a request id is generated when none is given', async () => {
    const fake = fakeGateway(() => ({ status: 200, body: { ok: true } }));
    const { requestId: _r, ...noId } = MESSAGE;
    await expect(sender(fake).s.send(noId)).resolves.toEqual({ ok: true });
    expect(fake.seen[0]!.body.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a wrong secret is refused by the gateway → auth_failed, not retryable', async () => {
    const fake = fakeGateway(() => ({ status: 200, body: { ok: true } }));
    const { s, warnings } = sender(fake, { secret: 'another-secret-0123456789abcdef-0123' });
    await expect(s.send(MESSAGE)).resolves.toEqual({ ok: false, reason: 'auth_failed', errcode: 'AUTH', retryable: false, errmsg: 'bad signature' });
    expect(JSON.stringify(warnings)).not.toContain('13812345678');
    expect(warnings[0]!.fields.mobile).toBe('138****5678');
  });

  it.each([
    [400, 'INVALID_MOBILE', 'invalid_mobile', false],
    [400, 'TEMPLATE_PARAMS', 'bad_template_data', false],
    [404, 'TEMPLATE_NOT_FOUND', 'bad_template_data', false],
    [200, 'UNSUBSCRIBED', 'user_refused', false],
    [429, 'RATE_LIMITED', 'rate_limited', true],
    [429, 'SOMETHING', 'rate_limited', true],
    [403, 'SOMETHING', 'auth_failed', false],
    [503, 'VENDOR_DOWN', 'upstream', true],
    [400, 'SOMETHING', 'upstream', false],
    [200, 'SOMETHING', 'upstream', false],
  ])('HTTP %i code %s → %s (retryable %s)', async (status, code, reason, retryable) => {
    const fake = fakeGateway(() => ({ status, body: { ok: false, code, message: '说明' } }));
    await expect(sender(fake).s.send(MESSAGE)).resolves.toEqual({ ok: false, reason, errcode: code, retryable, errmsg: '说明' });
  });

  it('the gateway may say whether a failure is retryable', async () => {
    const fake = fakeGateway(() => ({ status: 200, body: { ok: false, code: 'VENDOR_QUEUE_FULL', retryable: true } }));
    await expect(sender(fake).s.send(MESSAGE)).resolves.toMatchObject({ reason: 'upstream', retryable: true });
  });

  it('network failures and non-JSON 5xx are retryable upstream failures', async () => {
    const html = fakeGateway(() => new Response('<html>502</html>', { status: 502 }));
    await expect(sender(html).s.send(MESSAGE)).resolves.toEqual({ ok: false, reason: 'upstream', errcode: null, retryable: true });
    const down = new HttpSmsSender({
      url: URL_,
      keyId: KEY_ID,
      secret: SECRET,
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
      warn: () => {},
    });
    await expect(down.send(MESSAGE)).resolves.toEqual({ ok: false, reason: 'upstream', errcode: null, retryable: true });
  });

  it.each([
    [{ mobile: '2381234567' }, 'invalid_mobile'],
    [{ mobile: '+8613812345678' }, 'invalid_mobile'],
    [{ templateCode: '' }, 'bad_template_data'],
    [{ params: { name: '第一行\n第二行' } }, 'bad_template_data'],
    [{ params: { name: 1 as unknown as string } }, 'bad_template_data'],
  ])('refuses %j locally without calling the gateway', async (patch, reason) => {
    const fake = fakeGateway(() => ({ status: 200, body: { ok: true } }));
    await expect(sender(fake).s.send({ ...MESSAGE, ...patch })).resolves.toMatchObject({ ok: false, reason, errcode: null, retryable: false });
    expect(fake.seen).toHaveLength(0);
  });

  it.each([
    [{ url: 'http://sms.example.cn/send' }, /https/],
    [{ secret: 'short' }, /32 bytes/],
    [{ keyId: '' }, /key id/],
  ])('refuses configuration %j', (patch, message) => {
    expect(() => new HttpSmsSender({ url: URL_, keyId: KEY_ID, secret: SECRET, ...patch })).toThrow(message);
  });

  it('allows plain http for a gateway on localhost', () => {
    expect(() => new HttpSmsSender({ url: 'http://localhost:8787/send', keyId: KEY_ID, secret: SECRET })).not.toThrow();
  });
});

describe('DisabledSmsSender and maskMobile', () => {
  it('fails every send honestly', async () => {
    await expect(new DisabledSmsSender().send(MESSAGE)).resolves.toEqual({
      ok: false,
      reason: 'upstream',
      errcode: 'SMS_DISABLED',
      retryable: false,
      errmsg: '短信服务未开通',
    });
  });

  it('masks the middle four digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('123')).toBe('****');
  });
});
