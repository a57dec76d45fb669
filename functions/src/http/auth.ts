/**
 * Who is calling. Residents and staff carry our own signed session token
 * (functions/src/lib/session-token.ts) as `Authorization: Bearer <token>`.
 */
import { verify, SessionTokenError } from '../lib/session-token';
import { config } from '../lib/config';

export interface Principal {
  kind: 'resident' | 'staff';
  /** Account id (resident) or staff id. */
  sub: string;
  role?: string;
  teamId?: string;
  institutionId?: string;
  regionId?: string;
}

/** Session lifetime of a resident login (POST /auth/wechat). */
export const RESIDENT_SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * The caller, or null without a usable token. With `strict` (routes that need a login) a token
 * that is expired, forged or malformed throws its SessionTokenError (401 "登录已过期，请重新登录"
 * / "登录状态无效，请重新登录"), so the mini-program can say why; without it (auth 'none')
 * a bad token is ignored.
 */
export async function authenticate(authorization: string | undefined, now: Date, strict = false): Promise<Principal | null> {
  if (!authorization) return null;
  const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!m) {
    if (strict) throw new SessionTokenError('malformed');
    return null;
  }
  try {
    const claims = verify(m[1]!, config().sessionSecret, now);
    return {
      kind: claims.kind,
      sub: claims.sub,
      role: claims.role,
      teamId: claims.teamId,
      institutionId: claims.institutionId,
      regionId: claims.regionId,
    };
  } catch (e) {
    if (strict && e instanceof SessionTokenError) throw e;
    return null;
  }
}
