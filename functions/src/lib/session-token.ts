/**
 * Our own signed, expiring session token: a JWT in compact form, HS256 (HMAC-SHA256) only.
 *
 *   base64url({"alg":"HS256","typ":"JWT"}) . base64url(claims) . base64url(HMAC(secret, h.p))
 *
 * Any JWT library can read it; we accept nothing but HS256 (no `none`, no algorithm switch)
 * and compare signatures in constant time. The clock is injected (`now`).
 * Failures are `SessionTokenError`, an UnauthorizedError (401) whose `reason` says why.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '@jiayi/shared/domain/errors';

export type SessionKind = 'resident' | 'staff';

/** What the caller chooses; `iat`/`exp` are added by `issue`. */
export interface SessionClaimsInput {
  /** Account id (resident) or staff id. */
  sub: string;
  kind: SessionKind;
  roles?: string[];
  /** Staff: the single role functions/src/http/auth.ts reads. */
  role?: string;
  teamId?: string;
  institutionId?: string;
  regionId?: string;
}

export interface SessionClaims extends SessionClaimsInput {
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at (exclusive), seconds since the epoch. */
  exp: number;
}

export type SessionTokenFailure = 'expired' | 'bad_signature' | 'malformed';

const MESSAGES: Record<SessionTokenFailure, string> = {
  expired: '登录已过期，请重新登录',
  bad_signature: '登录状态无效，请重新登录',
  malformed: '登录状态无效，请重新登录',
};

export class SessionTokenError extends UnauthorizedError {
  constructor(readonly reason: SessionTokenFailure) {
    super(MESSAGES[reason], reason === 'expired' ? 'SESSION_EXPIRED' : 'SESSION_INVALID');
  }
}

const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const MIN_SECRET_BYTES = 32;
const B64URL_RE = /^[A-Za-z0-9_-]+$/;

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

function secretBytes(secret: string | Buffer): Buffer {
  const b = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  // A configuration error, not a caller error: fail loudly.
  if (b.length < MIN_SECRET_BYTES) throw new RangeError(`session secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return b;
}

function sign(input: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(input, 'ascii').digest();
}

function seconds(now: Date | number): number {
  return Math.floor((typeof now === 'number' ? now : now.getTime()) / 1000);
}

/** A token valid from `now` for `ttlSeconds`. */
export function issue(claims: SessionClaimsInput, secret: string | Buffer, now: Date | number, ttlSeconds: number): string {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new RangeError('ttlSeconds must be a positive integer');
  if (!claims.sub) throw new RangeError('sub is required');
  const iat = seconds(now);
  const payload: SessionClaims = { ...stripUndefined(claims), iat, exp: iat + ttlSeconds };
  const signingInput = `${HEADER}.${b64url(JSON.stringify(payload))}`;
  return `${signingInput}.${sign(signingInput, secretBytes(secret)).toString('base64url')}`;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const optString = (v: unknown) => v === undefined || typeof v === 'string';

function toClaims(p: Record<string, unknown>): SessionClaims | undefined {
  const { sub, kind, roles, role, teamId, institutionId, regionId, iat, exp } = p;
  if (typeof sub !== 'string' || sub === '') return undefined;
  if (kind !== 'resident' && kind !== 'staff') return undefined;
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) return undefined;
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) return undefined;
  if (![role, teamId, institutionId, regionId].every(optString)) return undefined;
  return stripUndefined({
    sub,
    kind: kind as SessionKind,
    roles: roles as string[] | undefined,
    role: role as string | undefined,
    teamId: teamId as string | undefined,
    institutionId: institutionId as string | undefined,
    regionId: regionId as string | undefined,
    iat: iat as number,
    exp: exp as number,
  });
}

/** The checked claims, or a `{ ok: false, reason }` — never throws for a bad token. */
export function check(
  token: string,
  secret: string | Buffer,
  now: Date | number,
): { ok: true; claims: SessionClaims } | { ok: false; reason: SessionTokenFailure } {
  const key = secretBytes(secret);
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL_RE.test(p))) return { ok: false, reason: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  const header = parseJsonObject(h);
  // Only HS256: refuse `none` and any attempt to switch algorithm.
  if (!header || header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT')) return { ok: false, reason: 'malformed' };

  const expected = sign(`${h}.${p}`, key);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };

  const payload = parseJsonObject(p);
  const claims = payload && toClaims(payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (seconds(now) >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** The checked claims; throws SessionTokenError (401) with the reason otherwise. */
export function verify(token: string, secret: string | Buffer, now: Date | number): SessionClaims {
  const r = check(token, secret, now);
  if (!r.ok) throw new SessionTokenError(r.reason);
  return r.claims;
}
