/**
 * Demo staff accounts for the clinic console (password `jiayi-demo` for all; local stack only).
 */
import { putStaff } from '../../../functions/src/db/staff.repo';
import { hashPassword } from '../../../functions/src/lib/password';
import { DEMO } from './institutions.seed';
import type { SeedContext, SeedStep } from './demo';

export const DEMO_STAFF_PASSWORD = 'jiayi-demo';

export const DEMO_STAFF = [
  { id: 'doctor.wang', name: '王建国', role: 'team_doctor', teamId: DEMO.teams.a },
  { id: 'assistant.liu', name: '刘芳', role: 'team_assistant', teamId: DEMO.teams.a },
  { id: 'doctor.li', name: '李红梅', role: 'team_doctor', teamId: DEMO.teams.b },
  { id: 'admin.daitou', name: '埭头镇卫生院管理员', role: 'institution_admin' },
  { id: 'admin.liyang', name: '溧阳市卫健委管理员', role: 'region_admin' },
] as const;

export async function seedStaff(_ctx: SeedContext): Promise<SeedStep> {
  const passwordHash = hashPassword(DEMO_STAFF_PASSWORD);
  for (const s of DEMO_STAFF) {
    await putStaff({
      id: s.id,
      name: s.name,
      role: s.role,
      regionId: DEMO.regionId,
      institutionId: s.role === 'region_admin' ? undefined : DEMO.institutionId,
      teamId: 'teamId' in s ? s.teamId : undefined,
      passwordHash,
    });
  }
  return {
    summary: `${DEMO_STAFF.length} staff accounts`,
    logins: [`工作人员 ${DEMO_STAFF.map((s) => s.id).join(' / ')}（密码 ${DEMO_STAFF_PASSWORD}）`],
  };
}
