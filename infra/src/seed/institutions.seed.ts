/**
 * liyang-2019: one township health centre with three family-doctor teams. Teams are led by a
 * general practitioner (第一责任人) with village doctors, nurses and public-health staff
 * (liyang-2019 §二(三)). Capacity ~2000 per team (§二(三)1); the third team is a small pilot
 * team that is nearly full, so the "团队已满" path can be seen locally.
 */
import { putInstitution, putTeam } from '../../../functions/src/db/teams.repo';
import type { SeedContext, SeedStep } from './demo';

export const DEMO = {
  regionId: 'liyang-2019',
  institutionId: 'ly-daitou',
  teams: { a: 'ly-daitou-t1', b: 'ly-daitou-t2', c: 'ly-daitou-t3' },
} as const;

export async function seedInstitutions(_ctx: SeedContext): Promise<SeedStep> {
  await putInstitution({
    id: DEMO.institutionId,
    regionId: DEMO.regionId,
    name: '溧阳市埭头镇卫生院（演示）',
    kind: '乡镇卫生院',
    address: '江苏省溧阳市埭头镇卫生院路1号（演示地址）',
    phone: '0519-80000000',
  });
  const common = { institutionId: DEMO.institutionId, regionId: DEMO.regionId };
  await putTeam({
    ...common,
    id: DEMO.teams.a,
    name: '王建国家庭医生团队',
    capacity: 2000,
    doctors: [
      { name: '王建国', title: '主治医师', role: 'gp', lead: true },
      { name: '陈秀英', title: '乡村医生', role: 'village_doctor' },
      { name: '刘芳', title: '护师', role: 'nurse' },
      { name: '周敏', title: '公卫医师', role: 'public_health' },
    ],
    clinicHours: ['周一至周五 08:00-11:30 上午门诊', '周一至周五 14:00-17:00 下午门诊', '周三 18:00-20:00 晚间延时服务'],
  });
  await putTeam({
    ...common,
    id: DEMO.teams.b,
    name: '李红梅家庭医生团队',
    capacity: 2000,
    doctors: [
      { name: '李红梅', title: '副主任医师', role: 'gp', lead: true },
      { name: '张强', title: '乡村医生', role: 'village_doctor' },
      { name: '孙丽', title: '护士', role: 'nurse' },
      { name: '赵磊', title: '主治医师（溧阳市人民医院心内科）', role: 'specialist' },
    ],
    clinicHours: ['周一至周五 08:00-11:30 上午门诊', '周二、周四 11:30-13:30 午间延时服务'],
  });
  await putTeam({
    ...common,
    id: DEMO.teams.c,
    name: '吴志刚试点团队',
    // A pilot team with a small, per-team capacity: nearly full once the demo residents sign.
    capacity: 3,
    doctors: [
      { name: '吴志刚', title: '主治医师', role: 'gp', lead: true },
      { name: '钱芳', title: '护士', role: 'nurse' },
    ],
    clinicHours: ['周一、周三、周五 08:00-11:30'],
  });
  return { summary: '1 institution, 3 teams (liyang-2019)' };
}
