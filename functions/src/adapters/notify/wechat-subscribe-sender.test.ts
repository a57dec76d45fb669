/**
 * WechatSubscribeMessageSender against a fake api.weixin.qq.com that follows the documented
 * formats: /cgi-bin/stable_token (POST JSON), /cgi-bin/token (GET query), and
 * /cgi-bin/message/subscribe/send?access_token=… answering HTTP 200 `{errcode, errmsg}`.
 */
import { describe, expect, it } from 'vitest';
import type { SubscribeMessage } from './subscribe-message';
import { WechatSubscribeMessageSender, type WechatSubscribeSenderConfig } from './wechat-subscribe-sender';

const APP_ID = 'wx1234567890abcdef';
const APP_SECRET = 'S3CR3T-0123456789abcdef0123456789';
const T0 = new Date('2025-03-10T02:00:00Z');

const MESSAGE: SubscribeMessage = {
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  templateId: 'bDmywsp2oEHjwAadTGKkUJ-eJEiMiOf7H-dZ7wjdw80',
  page: 'pages/health/followup?id=42',
  data: {
    thing1: { value: '高血压季度随访' },
    time2: { value: '2025年3月12日 09:30' },
    phrase3: { value: '待确认' },
  },
};

type Send = (body: any, token: string, n: number) => unknown;

/** A fake WeChat API. Tokens are `TOKEN-<n>`; `expires_in` 7200 unless told. */
function fakeWechat(opts: { onSend?: Send; token?: (req: { mode: 'stable' | 'classic'; force: boolean; n: number }) => unknown } = {}) {
  const calls: Array<{ method: string; url: URL; body: any }> = [];
  let tokenN = 0;
  let sendN = 0;
  let current = '';
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method: init?.method ?? 'GET', url, body });
    const json = (b: unknown) => new Response(JSON.stringify(b), { status: 200, headers: { 'content-type': 'text/plain' } });
    if (url.pathname === '/cgi-bin/stable_token' || url.pathname === '/cgi-bin/token') {
      const mode = url.pathname === '/cgi-bin/stable_token' ? 'stable' : 'classic';
      const appid = mode === 'stable' ? body.appid : url.searchParams.get('appid');
      const secret = mode === 'stable' ? body.secret : url.searchParams.get('secret');
      if (appid !== APP_ID || secret !== APP_SECRET) return json({ errcode: 40125, errmsg: 'invalid appsecret rid: 1' });
      if (mode === 'stable') expect(body.grant_type).toBe('client_credential');
      else expect(url.searchParams.get('grant_type')).toBe('client_credential');
      tokenN += 1;
      const custom = opts.token?.({ mode, force: mode === 'stable' && body.force_refresh === true, n: tokenN });
      if (custom) {
        const c = custom as { access_token?: string };
        if (c.access_token) current = c.access_token;
        return json(custom);
      }
      current = `TOKEN-${tokenN}`;
      return json({ access_token: current, expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send') {
      sendN += 1;
      const token = url.searchParams.get('access_token') ?? '';
      const answer = opts.onSend?.(body, token, sendN);
      if (answer instanceof Response) return answer;
      if (answer) return json(answer);
      if (token !== current) return json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest rid: 2' });
      return json({ errcode: 0, errmsg: 'ok' });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return {
    fn,
    calls,
    tokenCalls: () => calls.filter((c) => c.url.pathname.includes('token')),
    sendCalls: () => calls.filter((c) => c.url.pathname === '/cgi-bin/message/subscribe/send'),
  };
}

function sender(fake: ReturnType<typeof fakeWechat>, extra: Partial<WechatSubscribeSenderConfig> & { clock?: { now: Date } } = {}) {
  const warnings: Array<{ msg: string; fields: Record<string, unknown> }> = [];
  const clock = extra.clock ?? { now: T0 };
  const s = new WechatSubscribeMessageSender({
    appId: APP_ID,
    appSecret: APP_SECRET,
    fetch: fake.fn,
    now: () => clock.now,
    warn: (msg, fields) => warnings.push({ msg, fields }),
    ...extra,
  });
  return { s, warnings, clock };
}

describe('WechatSubscribeMessageSender — request format', () => {
  it('gets a stable token, then posts the documented body with the token in the query', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake);
    await expect(s.send(MESSAGE)).resolves.toEqual({ ok: true });

    const [tokenCall, sendCall] = fake.calls;
    expect(tokenCall!.method).toBe('POST');
    expect(tokenCall!.url.href).toBe('https://api.weixin.qq.com/cgi-bin/stable_token');
    expect(tokenCall!.body).toEqual({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, force_refresh: false });
    expect(sendCall!.method).toBe('POST');
    expect(sendCall!.url.pathname).toBe('/cgi-bin/message/subscribe/send');
    expect(sendCall!.url.searchParams.get('access_token')).toBe('TOKEN-1');
    expect(sendCall!.body).toEqual({
      touser: MESSAGE.openid,
      template_id: MESSAGE.templateId,
      page: MESSAGE.page,
      data: MESSAGE.data,
      miniprogram_state: 'formal',
      lang: 'zh_CN',
    });
  });

  it('classic mode uses GET /cgi-bin/token with the query parameters', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake, { tokenMode: 'classic', defaultMiniprogramState: 'trial' });
    await s.send(MESSAGE);
    const t = fake.calls[0]!;
    expect(t.method).toBe('GET');
    expect(t.url.pathname).toBe('/cgi-bin/token');
    expect(Object.fromEntries(t.url.searchParams)).toEqual({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
    expect(fake.sendCalls()[0]!.body.miniprogram_state).toBe('trial');
  });

  it('a message may choose its miniprogram_state', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake);
    await s.send({ ...MESSAGE, miniprogramState: 'developer' });
    expect(fake.sendCalls()[0]!.body.miniprogram_state).toBe('developer');
  });
});

describe('WechatSubscribeMessageSender — token cache', () => {
  it('reuses the token until 5 minutes before expires_in, then refreshes', async () => {
    const fake = fakeWechat();
    const { s, clock } = sender(fake);
    await s.send(MESSAGE);
    clock.now = new Date(T0.getTime() + (7200 - 300) * 1000 - 1); // 1 ms before the margin
    await s.send(MESSAGE);
    expect(fake.tokenCalls()).toHaveLength(1);
    clock.now = new Date(T0.getTime() + (7200 - 300) * 1000);
    await s.send(MESSAGE);
    expect(fake.tokenCalls()).toHaveLength(2);
    expect(fake.sendCalls().map((c) => c.url.searchParams.get('access_token'))).toEqual(['TOKEN-1', 'TOKEN-1', 'TOKEN-2']);
  });

  it('a short-lived token (expires_in ≤ 300 s) is not reused', async () => {
    const fake = fakeWechat({ token: ({ n }) => ({ access_token: `SHORT-${n}`, expires_in: 200 }) });
    const { s } = sender(fake);
    await s.send(MESSAGE);
    await s.send(MESSAGE);
    expect(fake.tokenCalls()).toHaveLength(2);
  });

  it('concurrent sends share one token request', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake);
    const results = await Promise.all([s.send(MESSAGE), s.send(MESSAGE), s.send(MESSAGE)]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(fake.tokenCalls()).toHaveLength(1);
  });

  it.each([40001, 42001])('on %i: refreshes once and retries once', async (errcode) => {
    const fake = fakeWechat({ onSend: (_b, _t, n) => (n === 1 ? { errcode, errmsg: 'token problem rid: 3' } : undefined) });
    const { s } = sender(fake);
    await expect(s.send(MESSAGE)).resolves.toEqual({ ok: true });
    expect(fake.sendCalls()).toHaveLength(2);
    expect(fake.tokenCalls()).toHaveLength(2);
    expect(fake.sendCalls()[1]!.url.searchParams.get('access_token')).toBe('TOKEN-2');
  });

  it('stable mode forces a refresh only when WeChat hands back the rejected token', async () => {
    const fake = fakeWechat({
      token: ({ force, n }) => ({ access_token: force ? 'FRESH' : 'SAME', expires_in: 7200, n }),
      onSend: (_b, token) => (token === 'SAME' ? { errcode: 40001, errmsg: 'invalid credential' } : { errcode: 0, errmsg: 'ok' }),
    });
    const { s } = sender(fake);
    await expect(s.send(MESSAGE)).resolves.toEqual({ ok: true });
    expect(fake.tokenCalls().map((c) => c.body.force_refresh)).toEqual([false, false, true]);
    expect(fake.sendCalls().map((c) => c.url.searchParams.get('access_token'))).toEqual(['SAME', 'FRESH']);
  });

  it('gives up after one retry: token_invalid, retryable', async () => {
    const fake = fakeWechat({ onSend: () => ({ errcode: 40001, errmsg: 'invalid credential' }) });
    const { s } = sender(fake);
    await expect(s.send(MESSAGE)).resolves.toMatchObject({ ok: false, reason: 'token_invalid', errcode: 40001, retryable: true });
    expect(fake.sendCalls()).toHaveLength(2);
  });

  it.each([
    [40125, 'token_invalid', false], // wrong secret
    [40164, 'token_invalid', false], // IP not whitelisted
    [40013, 'token_invalid', false], // wrong appid
    [45009, 'rate_limited', true],
    [-1, 'upstream', true],
  ])('token errcode %i → %s (retryable %s), nothing sent', async (errcode, reason, retryable) => {
    const fake = fakeWechat({ token: () => ({ errcode, errmsg: `err rid: 4` }) });
    const { s, warnings } = sender(fake);
    await expect(s.send(MESSAGE)).resolves.toMatchObject({ ok: false, reason, errcode, retryable });
    expect(fake.sendCalls()).toHaveLength(0);
    expect(warnings[0]!.fields).toMatchObject({ errcode });
  });

  it('a wrong secret really is refused by the fake (40125)', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake, { appSecret: 'wrong-secret' });
    await expect(s.send(MESSAGE)).resolves.toMatchObject({ ok: false, reason: 'token_invalid', errcode: 40125, retryable: false });
  });
});

describe('WechatSubscribeMessageSender — send errcodes', () => {
  it.each([
    [43101, 'user_refused', false],
    [47003, 'bad_template_data', false],
    [40037, 'bad_template_data', false],
    [41030, 'bad_template_data', false],
    [40003, 'invalid_openid', false],
    [45009, 'rate_limited', true],
    [-1, 'upstream', true],
    [99999, 'upstream', false],
  ])('errcode %i → %s (retryable %s)', async (errcode, reason, retryable) => {
    const fake = fakeWechat({ onSend: () => ({ errcode, errmsg: `message rid: 5` }) });
    const { s } = sender(fake);
    await expect(s.send(MESSAGE)).resolves.toEqual({ ok: false, reason, errcode, retryable, errmsg: 'message rid: 5' });
    expect(fake.sendCalls()).toHaveLength(1);
  });

  it('HTTP 5xx, a network failure and a non-JSON body are retryable upstream failures', async () => {
    for (const answer of [new Response('bad gateway', { status: 502 }), new Response('<html>', { status: 200 })]) {
      const fake = fakeWechat({ onSend: () => answer });
      await expect(sender(fake).s.send(MESSAGE)).resolves.toEqual({ ok: false, reason: 'upstream', errcode: null, retryable: true });
    }
    const failing = new WechatSubscribeMessageSender({
      appId: APP_ID,
      appSecret: APP_SECRET,
      fetch: (async () => {
        throw new TypeError(`fetch failed for https://api.weixin.qq.com/cgi-bin/token?secret=${APP_SECRET}`);
      }) as typeof fetch,
      now: () => T0,
      warn: (_m, fields) => expect(JSON.stringify(fields)).not.toContain(APP_SECRET),
    });
    await expect(failing.send(MESSAGE)).resolves.toEqual({ ok: false, reason: 'upstream', errcode: null, retryable: true });
  });

  it('never puts the secret or the token in a result or a log line', async () => {
    const fake = fakeWechat({ onSend: () => ({ errcode: 99999, errmsg: 'weird rid: 6' }) });
    const { s, warnings } = sender(fake);
    const r = await s.send(MESSAGE);
    const text = JSON.stringify({ r, warnings });
    expect(text).not.toContain(APP_SECRET);
    expect(text).not.toContain('TOKEN-1');
    expect(warnings.some((w) => w.fields.errcode === 99999)).toBe(true);
  });
});

describe('WechatSubscribeMessageSender — checks before sending', () => {
  it('bad template data fails locally with field issues, nothing is sent', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake);
    const r = await s.send({ ...MESSAGE, data: { ...MESSAGE.data, thing1: { value: '这是一段超过二十个字符的随访提醒内容描述文字' } } });
    expect(r).toEqual({
      ok: false,
      reason: 'bad_template_data',
      errcode: null,
      retryable: false,
      issues: [{ path: 'data.thing1.value', message: 'thing1 最多20个字符' }],
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('an openid that cannot be one fails locally', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake);
    await expect(s.send({ ...MESSAGE, openid: 'not an openid' })).resolves.toMatchObject({ ok: false, reason: 'invalid_openid', errcode: null, retryable: false });
    expect(fake.calls).toHaveLength(0);
  });

  it('a page with spaces or a missing template id fails locally', async () => {
    const fake = fakeWechat();
    const { s } = sender(fake);
    const r = await s.send({ ...MESSAGE, page: 'pages/a b', templateId: '' });
    expect(r).toMatchObject({ ok: false, reason: 'bad_template_data' });
    expect(r.ok === false && r.issues?.map((i) => i.path)).toEqual(['page', 'templateId']);
    expect(fake.calls).toHaveLength(0);
  });

  it('needs appId and appSecret', () => {
    expect(() => new WechatSubscribeMessageSender({ appId: APP_ID, appSecret: '' })).toThrow(/appSecret/);
  });
});
