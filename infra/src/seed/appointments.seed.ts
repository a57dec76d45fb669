/**
 * Signing-clinic rotas for the demo teams (issue 6), matching the clinic hours the teams publish
 * (institutions.seed.ts), including the extended sessions the documents ask for (错时服务,
 * 午间晚间延时服务), and 14 days of slots generated from them through the same functions the
 * rota route and the daily job use. Idempotent: an existing rota is kept, its slots rolled forward.
 */
import type { RotaSession } from '@jiayi/shared/domain/appointments/rota';
import { getRota, putRota, type RotaRecord } from '../../../functions/src/db/appointments.repo';
import { getTeam } from '../../../functions/src/db/teams.repo';
import { reconcileTeam } from '../../../functions/src/appointments/service';
import { DEMO } from './institutions.seed';
import type { SeedContext, SeedStep } from './demo';

const weekdays = (days: number[], s: Omit<RotaSession, 'weekday'>): RotaSession[] => days.map((weekday) => ({ weekday, ...s }));
const MON_FRI = [1, 2, 3, 4, 5];

/** 元旦 2027 and the 2026 National Day holiday: the clinic is closed. */
const HOLIDAYS = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2027-01-01'];

export const DEMO_ROTAS: Record<string, RotaSession[]> = {
  // 王建国团队: 周一至周五 上午 08:00-11:30、下午 14:00-17:00，周三晚间延时 18:00-20:00，周六上午错时服务.
  [DEMO.teams.a]: [
    ...weekdays(MON_FRI, { kind: 'morning', start: '08:00', end: '11:30', slotMinutes: 30, placesPerSlot: 3 }),
    ...weekdays(MON_FRI, { kind: 'afternoon', start: '14:00', end: '17:00', slotMinutes: 30, placesPerSlot: 2 }),
    ...weekdays([3], { kind: 'evening', start: '18:00', end: '20:00', slotMinutes: 30, placesPerSlot: 2 }),
    ...weekdays([6], { kind: 'morning', start: '08:30', end: '11:30', slotMinutes: 30, placesPerSlot: 1, doctor: '王建国' }),
  ],
  // 李红梅团队: 周一至周五上午，周二、周四午间延时 11:30-13:30.
  [DEMO.teams.b]: [
    ...weekdays(MON_FRI, { kind: 'morning', start: '08:00', end: '11:30', slotMinutes: 30, placesPerSlot: 3 }),
    ...weekdays([2, 4], { kind: 'noon', start: '11:30', end: '13:30', slotMinutes: 30, placesPerSlot: 2 }),
  ],
  // 吴志刚试点团队: 周一、周三、周五上午.
  [DEMO.teams.c]: weekdays([1, 3, 5], { kind: 'morning', start: '08:00', end: '11:30', slotMinutes: 30, placesPerSlot: 2 }),
};

export async function seedAppointments(ctx: SeedContext): Promise<SeedStep> {
  let slots = 0;
  for (const [teamId, sessions] of Object.entries(DEMO_ROTAS)) {
    const team = await getTeam(teamId);
    if (!team) continue;
    let rota = await getRota(teamId);
    if (!rota) {
      const fresh: RotaRecord = {
        teamId,
        institutionId: team.institutionId,
        regionId: team.regionId,
        sessions,
        closedDates: HOLIDAYS,
        horizonDays: 14,
        version: 1,
        publishedAt: ctx.now.toISOString(),
        publishedBy: 'seed',
      };
      if (await putRota(fresh, undefined)) rota = fresh;
      else rota = await getRota(teamId);
    }
    if (rota) slots += (await reconcileTeam(rota, ctx.now)).created;
  }
  return { summary: `rotas for ${Object.keys(DEMO_ROTAS).length} teams, ${slots} new slots (14 days)` };
}
