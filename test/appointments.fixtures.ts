/**
 * Helpers for the Appointments integration tests: a fresh team with a published rota (through
 * the staff API), households signed with the team (an active agreement written as the signing
 * transaction writes it, for speed; one test signs through the real API), booking requests, and
 * the store's view of a slot / counter for invariant checks.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { addDays, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { CLINIC_APPOINTMENT_ITEM_CODE } from '@jiayi/shared/domain/policy';
import { isoWeekday, type RotaSession } from '@jiayi/shared/domain/appointments/rota';
import { arrangeTeam, REGION, type Team } from './agreements.fixtures';
import { login, type Session } from './residents.fixtures';
import { http, staffLogin, storeClient, tableName } from './stack';
import { keys } from '../functions/src/db/keys';

export const today = (): LocalDate => localDateOf(new Date());
export const tomorrow = (): LocalDate => addDays(today(), 1);

export interface ClinicTeam extends Team {
  staffToken: string;
}

/** Every weekday 08:00-10:00 in 30-minute slots with `places` each (plus optional extra sessions). */
export function everyDay(places = 1, extra: Partial<RotaSession>[] = []): RotaSession[] {
  const out: RotaSession[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    out.push({ weekday, kind: 'morning', start: '08:00', end: '10:00', slotMinutes: 30, placesPerSlot: places });
    for (const e of extra) out.push({ weekday, kind: 'evening', start: '18:00', end: '20:00', slotMinutes: 30, placesPerSlot: places, ...e });
  }
  return out;
}

export async function clinicTeam(sessions: RotaSession[] = everyDay(), opts: { closedDates?: string[]; horizonDays?: number } = {}): Promise<ClinicTeam> {
  const team = await arrangeTeam(1000);
  const staffToken = await staffLogin({ id: `doc-${randomUUID().slice(0, 8)}`, role: 'team_doctor', regionId: REGION, institutionId: team.institutionId, teamId: team.teamId });
  const r = await http('PUT', `/teams/${team.teamId}/rota`, { token: staffToken, body: { sessions, closedDates: opts.closedDates ?? [], horizonDays: opts.horizonDays ?? 14 } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { ...team, staffToken };
}

export interface SignedHousehold extends Session {
  memberIds: string[];
  agreementId: string;
}

/** A logged-in household whose `size` members hold an active agreement with the team (basic package with the appointment item, optionally a hypertension package). */
export async function signedHousehold(team: Team, size = 1, opts: { hypertension?: boolean; cycleEnd?: LocalDate; status?: string } = {}): Promise<SignedHousehold> {
  const s = await login();
  const id = randomUUID();
  const at = new Date().toISOString();
  const memberIds = Array.from({ length: size }, () => randomUUID());
  const packages = [
    { code: 'LY-BASIC', name: '基本服务包', category: 'basic', items: [{ code: CLINIC_APPOINTMENT_ITEM_CODE, name: '签约门诊预约服务', kind: 'on_demand' }, { code: 'bp-check', name: '血压测量', kind: 'count' }] },
    ...(opts.hypertension ? [{ code: '160000002-d', name: '高血压服务包', category: 'chronic', items: [{ code: 'htn-followup', name: '高血压面对面随访', kind: 'count' }] }] : []),
  ];
  await storeClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.agreement(id),
        ...keys.agreementByAccount(s.accountId, at, id),
        type: 'agreement',
        id,
        accountId: s.accountId,
        representativeName: '张三',
        teamId: team.teamId,
        teamName: '测试团队',
        institutionId: team.institutionId,
        institutionName: '测试卫生院',
        regionId: REGION,
        policyVersion: 'test',
        signingKind: 'free',
        status: opts.status ?? 'active',
        cycleStart: addDays(today(), -30),
        cycleEnd: opts.cycleEnd ?? addDays(today(), 300),
        members: memberIds.map((memberId, i) => ({ memberId, name: `成员${i + 1}`, relation: i === 0 ? '本人' : '其他', idNumberMasked: '320481********123X', idHash: randomUUID(), sex: 'M', ageGroup: 'adult_18_64', signingKind: 'free', packages, byPayer: {}, totalFen: 0 })),
        createdAt: at,
        updatedAt: at,
        origin: 'signed',
        shard: 0,
        version: 1,
      },
    }),
  );
  return { ...s, memberIds, agreementId: id };
}

/** The id of the slot at `start` on `date` (team clinic). */
export const slotAt = (date: LocalDate, start: string, res = 't') => `${date}_${start.replace(':', '')}_${res}`;

export function bookBody(teamId: string, slotId: string, memberId: string, extra: Record<string, unknown> = {}) {
  return { teamId, slotId, memberId, reason: '复诊开药', idempotencyKey: `k-${randomUUID()}`, ...extra };
}

export async function bookOk(h: Session, body: Record<string, unknown>): Promise<any> {
  const r = await http('POST', '/appointments', { token: h.token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.appointment;
}

export async function storedSlot(teamId: string, slotId: string): Promise<Record<string, any> | undefined> {
  const r = await storeClient().send(new GetCommand({ TableName: tableName(), Key: keys.slot(teamId, slotId), ConsistentRead: true }));
  return r.Item;
}

export async function storedCounter(accountId: string, memberId: string): Promise<Record<string, any> | undefined> {
  const r = await storeClient().send(new GetCommand({ TableName: tableName(), Key: keys.bookingCounter(accountId, memberId), ConsistentRead: true }));
  return r.Item;
}

/** Every appointment item of a team's day (store view, all statuses). */
export async function teamDayItems(teamId: string, date: LocalDate): Promise<Record<string, any>[]> {
  const r = await storeClient().send(
    new QueryCommand({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': keys.appointmentByTeamDay(teamId, date, '', '').gsi2pk } }),
  );
  return r.Items ?? [];
}

export { isoWeekday };
