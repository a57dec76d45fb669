/**
 * Who is calling. Residents and staff carry our own signed session token
 * (functions/src/lib/session-token.ts) as `Authorization: Bearer <token>`.
 */
import { verify } from '../lib/session-token';
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

export async function authenticate(authorization: string | undefined, now: Date): Promise<Principal | null> {
  if (!authorization) return null;
  const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!m) return null;
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
  } catch {
    return null;
  }
}
