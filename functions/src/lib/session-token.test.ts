import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { UnauthorizedError } from '@jiayi/shared/domain/errors';
import { check, issue, SessionTokenError, verify, type SessionTokenFailure } from './session-token';

const SECRET = 'test-session-secret-with-at-least-32-bytes!!';
const NOW = new Date('2026-11-20T02:00:00.000Z');
const T0 = Math.floor(NOW.getTime() / 1000);
const at = (secondsLater: number) => new Date(NOW.getTime() + secondsLater * 1000);

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function forge(header: unknown, payload: unknown, secret = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function failure(token: string, now: Date = NOW): SessionTokenFailure {
  const r = check(token, SECRET, now);
  if (r.ok) throw new Error('expected failure');
  return r.reason;
}

describe('issue / verify', () => {
  it('round-trips resident claims with iat/exp', () => {
    const token = issue({ sub: 'acc-1', kind: 'resident' }, SECRET, NOW, 3600);
    expect(token.split('.')).toHaveLength(3);
    expect(verify(token, SECRET, NOW)).toEqual({ sub: 'acc-1', kind: 'resident', iat: T0, exp: T0 + 3600 });
  });

  it('round-trips staff claims (roles, role, scope ids)', () => {
    const claims = { sub: 'staff-7', kind: 'staff' as const, roles: ['doctor', 'admin'], role: 'doctor', teamId: 't1', institutionId: 'i1', regionId: 'liyang' };
    expect(verify(issue(claims, SECRET, NOW, 60), SECRET, at(59))).toEqual({ ...claims, iat: T0, exp: T0 + 60 });
  });

  it('is a standard HS256 JWT (header, signature over header.payload)', () => {
    const token = issue({ sub: 'acc-1', kind: 'resident' }, SECRET, NOW, 60);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toMatchObject({ sub: 'acc-1', iat: T0, exp: T0 + 60 });
    expect(s).toBe(createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url'));
  });

  it('accepts a Buffer secret and a numeric now', () => {
    const key = Buffer.alloc(32, 5);
    expect(verify(issue({ sub: 'a', kind: 'resident' }, key, NOW.getTime(), 10), key, NOW.getTime()).sub).toBe('a');
  });

  it.each([
    ['zero ttl', () => issue({ sub: 'a', kind: 'resident' }, SECRET, NOW, 0)],
    ['fractional ttl', () => issue({ sub: 'a', kind: 'resident' }, SECRET, NOW, 1.5)],
    ['empty sub', () => issue({ sub: '', kind: 'resident' }, SECRET, NOW, 10)],
    ['short secret', () => issue({ sub: 'a', kind: 'resident' }, 'short', NOW, 10)],
    ['short secret on verify', () => check('a.b.c', 'short', NOW)],
  ])('refuses %s', (_n, fn) => {
    expect(fn).toThrow(RangeError);
  });
});

describe('expiry', () => {
  const token = issue({ sub: 'acc-1', kind: 'resident' }, SECRET, NOW, 60);
  it.each([
    [0, true],
    [59, true],
    [60, false], // exp is exclusive
    [61, false],
    [86_400, false],
  ])('%i s after issue → valid %s', (later, valid) => {
    const r = check(token, SECRET, at(later));
    expect(r.ok).toBe(valid);
    if (!r.ok) expect(r.reason).toBe('expired');
  });
});

describe('rejections', () => {
  const good = issue({ sub: 'acc-1', kind: 'resident' }, SECRET, NOW, 3600);
  const [h, p, s] = good.split('.') as [string, string, string];

  it.each<[string, string, SessionTokenFailure]>([
    ['other secret', issue({ sub: 'acc-1', kind: 'resident' }, 'another-secret-that-is-32-bytes-long!!', NOW, 3600), 'bad_signature'],
    ['payload swapped (privilege escalation attempt)', `${h}.${b64({ sub: 'acc-1', kind: 'staff', role: 'admin', iat: T0, exp: T0 + 3600 })}.${s}`, 'bad_signature'],
    ['truncated signature', `${h}.${p}.${s.slice(0, 20)}`, 'bad_signature'],
    ['signature of another token', `${h}.${p}.${issue({ sub: 'x', kind: 'resident' }, SECRET, NOW, 3600).split('.')[2]}`, 'bad_signature'],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`, 'malformed'],
    ['alg none with signature', forge({ alg: 'none' }, { sub: 'a', kind: 'resident', iat: T0, exp: T0 + 10 }), 'malformed'],
    ['alg HS512', forge({ alg: 'HS512', typ: 'JWT' }, { sub: 'a', kind: 'resident', iat: T0, exp: T0 + 10 }), 'malformed'],
    ['two parts', `${h}.${p}`, 'malformed'],
    ['four parts', `${good}.x`, 'malformed'],
    ['empty', '', 'malformed'],
    ['not base64url', `${h}.${p}.${s}+/`, 'malformed'],
    ['header not JSON', `bm90IGpzb24.${p}.${s}`, 'malformed'],
    ['signed but no kind', forge({ alg: 'HS256', typ: 'JWT' }, { sub: 'a', iat: T0, exp: T0 + 10 }), 'malformed'],
    ['signed but unknown kind', forge({ alg: 'HS256' }, { sub: 'a', kind: 'admin', iat: T0, exp: T0 + 10 }), 'malformed'],
    ['signed but exp not a number', forge({ alg: 'HS256' }, { sub: 'a', kind: 'resident', iat: T0, exp: 'never' }), 'malformed'],
    ['signed but roles not strings', forge({ alg: 'HS256' }, { sub: 'a', kind: 'staff', roles: [1], iat: T0, exp: T0 + 10 }), 'malformed'],
    ['signed but payload is an array', forge({ alg: 'HS256' }, [1, 2]), 'malformed'],
    ['signed and expired', forge({ alg: 'HS256' }, { sub: 'a', kind: 'resident', iat: T0 - 100, exp: T0 - 1 }), 'expired'],
  ])('%s → %s', (_n, token, reason) => {
    expect(failure(token)).toBe(reason);
  });

  it('verify throws a 401 SessionTokenError with a Chinese message', () => {
    const expiredAt = at(3600);
    let caught: unknown;
    try {
      verify(good, SECRET, expiredAt);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SessionTokenError);
    expect(caught).toBeInstanceOf(UnauthorizedError);
    expect(caught).toMatchObject({ status: 401, reason: 'expired', code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' });
    expect(() => verify(`${h}.${p}.x${s.slice(1)}`, SECRET, NOW)).toThrow(expect.objectContaining({ reason: 'bad_signature', code: 'SESSION_INVALID' }));
  });
});
