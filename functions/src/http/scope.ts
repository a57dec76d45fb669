/**
 * Staff scoping: a team doctor or assistant sees only their own team, an institution admin only
 * their institution, a region admin only their region. Every staff route that touches a team's
 * or an institution's data calls one of these before loading it.
 */
import { ForbiddenError } from '@jiayi/shared/domain/errors';
import type { Principal } from './auth';

export interface Scope {
  teamId: string;
  institutionId: string;
  regionId: string;
}

const TEAM_ROLES = new Set(['team_doctor', 'team_assistant']);

/** True when the staff principal may act on data of `target`. */
export function staffCovers(p: Principal, target: Partial<Scope>): boolean {
  if (p.kind !== 'staff') return false;
  if (TEAM_ROLES.has(p.role ?? '')) return !!target.teamId && target.teamId === p.teamId;
  if (p.role === 'institution_admin') return !!target.institutionId && target.institutionId === p.institutionId;
  if (p.role === 'region_admin') return !!target.regionId && target.regionId === p.regionId;
  return false;
}

export function assertStaffCovers(p: Principal, target: Partial<Scope>, message = '无权访问其他团队或机构的数据'): void {
  if (!staffCovers(p, target)) throw new ForbiddenError(message, 'OUT_OF_SCOPE');
}
