/**
 * Helpers for the clinic-console integration tests (issue 8): a jilin-2017 team (cycle from the
 * signing date, so services can be recorded today), a signed household, staff of every role.
 */
import { randomUUID } from 'node:crypto';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { expect } from 'vitest';
import { arrangeTeam, household, sign, signRequest, useStoreInProcess, type Household, type Team } from './agreements.fixtures';
import { http, staffLogin } from './stack';

export const REGION = 'jilin-2017';
/** jilin-2017 §二(一) 基本服务包: 居民签约时开展一次体格检查 — 1 per year. */
export const EXAM = 'JL-BASIC/3-1';
/** yongkang 基本服务包 4 (carried by every region): ≥1 tip per quarter → 4 per year. */
export const PUSH = 'health-knowledge-push';
/** jilin-2017 基本医疗: 需向上级医院转诊的，出具转诊单 — a referral item. */
export const REFERRAL = 'JL-BASIC/1-3';

export const today = () => localDateOf(new Date());

export interface Signed {
  team: Team;
  h: Household;
  agreement: any;
}

export async function signedHousehold(team?: Team, size = 1): Promise<Signed> {
  const t = team ?? (await arrangeTeam(50, 0, { regionId: REGION }));
  const h = await household(size, { age: 70 });
  const agreement = await sign(h.token, signRequest(t.teamId, h.memberIds));
  expect(agreement.status).toBe('active');
  return { team: t, h, agreement };
}

export async function doctorOf(team: Team, role = 'team_doctor'): Promise<string> {
  return staffLogin({ id: `doc-${randomUUID()}`, role, regionId: REGION, institutionId: team.institutionId, teamId: team.teamId, name: '王建国' });
}

export async function adminOf(institutionId: string): Promise<string> {
  return staffLogin({ id: `adm-${randomUUID()}`, role: 'institution_admin', regionId: REGION, institutionId, name: '机构管理员' });
}

export function service(memberId: string, extra: Record<string, unknown> = {}) {
  return { memberId, itemCode: EXAM, date: today(), quantity: 1, evidence: { kind: 'ss_card', reference: `SS${Date.now()}` }, ...extra };
}

export async function record(token: string, agreementId: string, body: unknown, status = 201): Promise<any> {
  const r = await http('POST', `/agreements/${agreementId}/services`, { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/**
 * The signing transactions now include the SIGN report counters themselves (agreements.tx.ts
 * `reportCounters`, the merged form of `agreementReportCounters`), so there is nothing left for a
 * test to apply: kept as a no-op for the callers, checking the agreement exists.
 */
export async function countSigning(agreementId: string): Promise<void> {
  await useStoreInProcess();
  const { getAgreement } = await import('../functions/src/db/agreements.repo');
  expect(await getAgreement(agreementId)).toBeDefined();
}
