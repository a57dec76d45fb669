import { describe, expect, it } from 'vitest';
import { ForbiddenError, RateLimitedError, UpstreamError, ValidationError } from '@jiayi/shared/domain/errors';
import { WechatIdentityProvider } from './wechat-identity-provider';

const APP_ID = 'wx1234567890abcdef';
const APP_SECRET = 'S3CR3T-0123456789abcdef0123456789';
const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ==';
const CODE = '0c3Xyz000abcDEF1ghi200iJkl3Xyz0z';

type Call = { url: URL; init: RequestInit | undefined };

/** A fetch that answers like api.weixin.qq.com does (HTTP 200, often text/plain). */
function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: new URL(String(input)), init });
    return respond();
  }) as typeof fetch;
  return { fn, calls };
}

const json = (body: unknown, status = 200, contentType = 'text/plain') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });

function provider(respond: () => Response | Promise<Response>, extra: { timeoutMs?: number; fetch?: typeof fetch } = {}) {
  const f = fakeFetch(respond);
  const warnings: Array<{ msg: string; fields: Record<string, unknown> }> = [];
  const p = new WechatIdentityProvider({
    appId: APP_ID,
    appSecret: APP_SECRET,
    fetch: extra.fetch ?? f.fn,
    timeoutMs: extra.timeoutMs,
    warn: (msg, fields) => warnings.push({ msg, fields }),
  });
  return { p, calls: f.calls, warnings };
}

async function caught(pr: Promise<unknown>): Promise<Error> {
  try {
    await pr;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** Nothing an error or a log line carries may contain the app secret or the session key. */
function expectNoSecrets(...things: unknown[]) {
  for (const t of things) {
    const s = t instanceof Error ? `${t.message} ${t.stack} ${JSON.stringify(t)} ${String(t.cause ?? '')}` : JSON.stringify(t);
    expect(s).not.toContain(APP_SECRET);
    expect(s).not.toContain(SESSION_KEY);
  }
}

describe('WechatIdentityProvider.code2Session — success', () => {
  it('calls the documented endpoint and maps openid / session_key / unionid', async () => {
    const { p, calls, warnings } = provider(() => json({ openid: 'oABC123', session_key: SESSION_KEY, unionid: 'oUNION9' }));
    const session = await p.code2Session(CODE);
    expect(session).toEqual({ openid: 'oABC123', unionid: 'oUNION9', sessionKey: SESSION_KEY });

    expect(calls).toHaveLength(1);
    const { url, init } = calls[0]!;
    expect(`${url.origin}${url.pathname}`).toBe('https://api.weixin.qq.com/sns/jscode2session');
    expect(Object.fromEntries(url.searchParams)).toEqual({ appid: APP_ID, secret: APP_SECRET, js_code: CODE, grant_type: 'authorization_code' });
    expect(init?.method).toBe('GET');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(warnings).toEqual([]);
  });

  it('without unionid (app not bound to an open-platform account); errcode 0 tolerated', async () => {
    const { p } = provider(() => json({ openid: 'oABC123', session_key: SESSION_KEY, errcode: 0, errmsg: 'ok' }, 200, 'application/json'));
    const session = await p.code2Session(` ${CODE} `);
    expect(session).toEqual({ openid: 'oABC123', sessionKey: SESSION_KEY });
    expect('unionid' in session).toBe(false);
  });

  it('the session key appears only in the sessionKey field', async () => {
    const { p } = provider(() => json({ openid: 'oABC123', session_key: SESSION_KEY, unionid: 'oUNION9', errmsg: 'ok' }));
    const session = await p.code2Session(CODE);
    expect(Object.keys(session).sort()).toEqual(['openid', 'sessionKey', 'unionid']);
    const { sessionKey, ...rest } = session;
    expect(sessionKey).toBe(SESSION_KEY);
    expect(JSON.stringify(rest)).not.toContain(SESSION_KEY);
    expect(JSON.stringify(session)).not.toContain('session_key');
  });

  it('uses a configured base URL', async () => {
    const f = fakeFetch(() => json({ openid: 'o1', session_key: SESSION_KEY }));
    const p = new WechatIdentityProvider({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: 'http://127.0.0.1:9999', fetch: f.fn });
    await p.code2Session(CODE);
    expect(f.calls[0]!.url.href.startsWith('http://127.0.0.1:9999/sns/jscode2session?')).toBe(true);
  });
});

describe('WechatIdentityProvider.code2Session — WeChat errcodes', () => {
  const cases: Array<{ name: string; body: unknown; type: new (...a: never[]) => Error; status: number; code: string; message: string; warns: boolean }> = [
    { name: '40029 invalid code', body: { errcode: 40029, errmsg: 'invalid code, rid: 652d44d0-1d0af18b-5b069232' }, type: ValidationError, status: 400, code: 'WECHAT_CODE_INVALID', message: '登录凭证无效，请重新登录', warns: false },
    { name: '40163 code been used', body: { errcode: 40163, errmsg: 'code been used, rid: 6a1' }, type: ValidationError, status: 400, code: 'WECHAT_CODE_INVALID', message: '登录凭证无效，请重新登录', warns: false },
    { name: '45011 rate limit', body: { errcode: 45011, errmsg: 'api minute-quota reach limit, must slower, retry next minute, rid: 658c03c7-029c8f19-07211e07' }, type: RateLimitedError, status: 429, code: 'WECHAT_RATE_LIMITED', message: '登录过于频繁，请稍后再试', warns: false },
    { name: '40226 high-risk user', body: { errcode: 40226, errmsg: 'risky user' }, type: ForbiddenError, status: 403, code: 'WECHAT_RISKY_USER', message: '账号存在风险，暂时无法登录', warns: false },
    { name: '-1 system busy', body: { errcode: -1, errmsg: 'system error' }, type: UpstreamError, status: 502, code: 'WECHAT_BUSY', message: '微信服务繁忙，请稍后再试', warns: true },
    { name: '40125 invalid appsecret (our configuration)', body: { errcode: 40125, errmsg: 'invalid appsecret, view more at http://t.cn/RAEkdVq, hints: [ req_id: OHkfU14ce ]' }, type: UpstreamError, status: 502, code: 'WECHAT_ERROR', message: '微信登录服务暂时不可用，请稍后再试', warns: true },
    { name: 'errcode as a string', body: { errcode: '40029', errmsg: 'invalid code' }, type: ValidationError, status: 400, code: 'WECHAT_CODE_INVALID', message: '登录凭证无效，请重新登录', warns: false },
    { name: 'error answer that also carries a session_key', body: { errcode: -1, errmsg: 'system error', session_key: SESSION_KEY }, type: UpstreamError, status: 502, code: 'WECHAT_BUSY', message: '微信服务繁忙，请稍后再试', warns: true },
  ];
  it.each(cases)('$name → $status $code', async (c) => {
    const { p, warnings } = provider(() => json(c.body));
    const e = await caught(p.code2Session(CODE));
    expect(e).toBeInstanceOf(c.type);
    expect(e).toMatchObject({ status: c.status, code: c.code, message: c.message });
    expect(warnings.length > 0).toBe(c.warns);
    expectNoSecrets(e, warnings);
  });

  it('a 400 names the field the mini-program sent', async () => {
    const { p } = provider(() => json({ errcode: 40029, errmsg: 'invalid code' }));
    expect(await caught(p.code2Session(CODE))).toMatchObject({ fields: [{ path: 'code', message: '登录凭证无效，请重新登录' }] });
  });

  it('logs the errcode and errmsg (with WeChat rid) of unexpected errors', async () => {
    const { p, warnings } = provider(() => json({ errcode: 40013, errmsg: 'invalid appid, rid: 1234' }));
    await caught(p.code2Session(CODE));
    expect(warnings).toEqual([{ msg: 'wechat code2Session error', fields: { errcode: 40013, errmsg: 'invalid appid, rid: 1234' } }]);
  });
});

describe('WechatIdentityProvider.code2Session — transport failures → 502', () => {
  const cases: Array<{ name: string; respond: () => Response | Promise<Response>; code: string }> = [
    { name: 'HTTP 500', respond: () => new Response('Internal Server Error', { status: 500 }), code: 'WECHAT_HTTP_ERROR' },
    { name: 'HTTP 503 with JSON body', respond: () => json({ errcode: -1 }, 503), code: 'WECHAT_HTTP_ERROR' },
    { name: 'non-JSON (HTML error page)', respond: () => new Response('<html><body>502 Bad Gateway</body></html>', { status: 200 }), code: 'WECHAT_BAD_RESPONSE' },
    { name: 'empty body', respond: () => new Response('', { status: 200 }), code: 'WECHAT_BAD_RESPONSE' },
    { name: 'JSON array', respond: () => json([1, 2]), code: 'WECHAT_BAD_RESPONSE' },
    { name: 'JSON null', respond: () => json(null), code: 'WECHAT_BAD_RESPONSE' },
    { name: 'no openid', respond: () => json({ session_key: SESSION_KEY }), code: 'WECHAT_BAD_RESPONSE' },
    { name: 'no session_key', respond: () => json({ openid: 'o1' }), code: 'WECHAT_BAD_RESPONSE' },
    {
      name: 'network error quoting the URL with the secret',
      respond: () => Promise.reject(new TypeError(`fetch failed: https://api.weixin.qq.com/sns/jscode2session?appid=${APP_ID}&secret=${APP_SECRET}`)),
      code: 'WECHAT_UNAVAILABLE',
    },
  ];
  it.each(cases)('$name → $code', async (c) => {
    const { p, warnings } = provider(c.respond);
    const e = await caught(p.code2Session(CODE));
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e).toMatchObject({ status: 502, code: c.code, message: '微信登录服务暂时不可用，请稍后再试' });
    expect(warnings.length).toBeGreaterThan(0);
    expectNoSecrets(e, warnings);
  });

  it('a call that never answers is aborted by the timeout', async () => {
    const hanging = ((_url: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      })) as typeof fetch;
    const { p } = provider(() => json({}), { fetch: hanging, timeoutMs: 5 });
    expect(await caught(p.code2Session(CODE))).toMatchObject({ status: 502, code: 'WECHAT_UNAVAILABLE' });
  });
});

describe('WechatIdentityProvider.code2Session — input', () => {
  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['inner space', 'abc def'],
    ['non-ASCII', '登录码'],
    ['too long', 'a'.repeat(257)],
    ['not a string', 42 as unknown as string],
  ])('%s code → 400 without calling WeChat', async (_n, code) => {
    const { p, calls } = provider(() => json({ openid: 'o1', session_key: SESSION_KEY }));
    const e = await caught(p.code2Session(code));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).toMatchObject({ status: 400, code: 'WECHAT_CODE_INVALID' });
    expect(calls).toHaveLength(0);
  });

  it('refuses to construct without credentials', () => {
    expect(() => new WechatIdentityProvider({ appId: APP_ID, appSecret: '' })).toThrow(/appSecret/);
  });
});
