/**
 * Staff log in separately from residents: POST /auth/staff (username + password) → our session
 * token carrying role and scope. GET /staff/me answers who is logged in.
 */
import { UnauthorizedError } from '@jiayi/shared/domain/errors';
import { STAFF_ROLES, staffLoginBody, type StaffView } from '@jiayi/shared/schemas/staff';
import { route, router } from '../http/with-http';
import { getStaff, type StaffRecord } from '../db/staff.repo';
import { verifyPassword } from '../lib/password';
import { issue } from '../lib/session-token';
import { config } from '../lib/config';

const STAFF_SESSION_SECONDS = 12 * 60 * 60;

function view(s: StaffRecord): StaffView {
  return { id: s.id, name: s.name, role: s.role, roleName: STAFF_ROLES[s.role], regionId: s.regionId, institutionId: s.institutionId, teamId: s.teamId };
}

export const handler = router({
  'POST /auth/staff': route({ auth: 'none', body: staffLoginBody }, async ({ body, now }) => {
    const staff = await getStaff(body.username);
    // One message for both cases: do not reveal which usernames exist.
    if (!staff || !verifyPassword(body.password, staff.passwordHash)) throw new UnauthorizedError('用户名或密码错误', 'BAD_CREDENTIALS');
    const token = issue(
      { sub: staff.id, kind: 'staff', role: staff.role, roles: [staff.role], teamId: staff.teamId, institutionId: staff.institutionId, regionId: staff.regionId },
      config().sessionSecret,
      now,
      STAFF_SESSION_SECONDS,
    );
    return { token, expiresAt: new Date(now.getTime() + STAFF_SESSION_SECONDS * 1000).toISOString(), staff: view(staff) };
  }),

  'GET /staff/me': route({ auth: 'staff' }, async ({ principal }) => {
    const staff = await getStaff(principal.sub);
    if (!staff) throw new UnauthorizedError('账号不存在或已停用', 'STAFF_GONE');
    return { staff: view(staff) };
  }),
});
