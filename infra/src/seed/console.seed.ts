/**
 * Clinic console demo (issue 8): a jilin-2017 community health centre whose agreements run from
 * the signing date (so services can be recorded at once — liyang's Q4 signings start next
 * January), its team doctor and administrator, and a population register (coverage denominators).
 */
import { putInstitution, putTeam } from '../../../functions/src/db/teams.repo';
import { putStaff } from '../../../functions/src/db/staff.repo';
import { putRegister } from '../../../functions/src/db/reports.repo';
import { parseRegister } from '@jiayi/shared/domain/fulfilment/register';
import { hashPassword } from '../../../functions/src/lib/password';
import { DEMO_STAFF_PASSWORD } from './staff.seed';
import type { SeedContext, SeedStep } from './demo';

export const CONSOLE_DEMO = {
  regionId: 'jilin-2017',
  institutionId: 'jl-nanguan',
  teamId: 'jl-nanguan-t1',
  doctor: 'doctor.zhao',
  admin: 'admin.nanguan',
} as const;

const REGISTER = `村民小组,常住户数,常住人口,重点人群人数,特殊人群人数,困难家庭户数
东岭社区一组,420,1260,430,18,6
东岭社区二组,380,1150,402,15,4
南关村一组,260,810,300,22,9
南关村二组,240,760,268,17,7`;

export async function seedConsole(ctx: SeedContext): Promise<SeedStep> {
  const { institutionId, teamId, regionId } = CONSOLE_DEMO;
  await putInstitution({ id: institutionId, regionId, name: '长春市南关区社区卫生服务中心（演示）', kind: '社区卫生服务中心', address: '吉林省长春市南关区（演示地址）', phone: '0431-80000000' });
  await putTeam({
    id: teamId,
    institutionId,
    regionId,
    name: '赵志远家庭医生团队',
    capacity: 2000,
    doctors: [
      { name: '赵志远', title: '主治医师', role: 'gp', lead: true },
      { name: '孙静', title: '护师', role: 'nurse' },
      { name: '高峰', title: '公卫医师', role: 'public_health' },
    ],
    clinicHours: ['周一至周五 08:00-11:30 上午门诊', '周一至周五 13:30-16:30 下午门诊'],
  });
  const passwordHash = hashPassword(DEMO_STAFF_PASSWORD);
  await putStaff({ id: CONSOLE_DEMO.doctor, name: '赵志远', role: 'team_doctor', regionId, institutionId, teamId, passwordHash });
  await putStaff({ id: CONSOLE_DEMO.admin, name: '南关区中心管理员', role: 'institution_admin', regionId, institutionId, passwordHash });
  const reg = parseRegister(REGISTER);
  if (!reg.ok) throw new Error('demo register invalid');
  await putRegister({ institutionId, uploadedAt: ctx.now.toISOString(), uploadedBy: '南关区中心管理员', rows: reg.rows, totals: reg.totals });
  return {
    summary: '1 jilin-2017 institution + team, 2 console staff, population register',
    logins: [`履约与报表 ${CONSOLE_DEMO.doctor} / ${CONSOLE_DEMO.admin}（密码 ${DEMO_STAFF_PASSWORD}）`],
  };
}
