/**
 * Fixtures for the table-driven tests of the agreement decisions (imported by *.test.ts only):
 * liyang-2019 people, a team, a household selection and agreements signed through planSigning.
 */
import { policyFor, type RegionPolicy } from '../policy';
import type { PersonFacts } from '../person';
import type { Stored } from '../plan';
import type { SigningPerson } from './lifecycle';
import { transitioned, historyEntry, type AgreementRecord } from './record';
import { planSigning, type HouseholdSelection, type TeamState } from './signing';
import type { AgreementItem, AgreementPlan } from './writes';

export const LIYANG: RegionPolicy = policyFor('liyang-2019', '2025-03-01');
/** liyang-2019 附件: the 65+ package (150 元: resident 50, insurance fund 50, public health 50). */
export const ELDERLY = '160000002-c';

export const ELDER: PersonFacts = { birthDate: '1950-05-01', sex: 'M', conditions: [], statuses: [], insuredLocally: true, localHukou: true };
export const ADULT: PersonFacts = { birthDate: '1990-05-01', sex: 'F', conditions: [], statuses: [], insuredLocally: true, localHukou: true };

export function person(memberId: string, facts: PersonFacts, name = `成员${memberId}`): SigningPerson {
  return { memberId, name, relation: '本人', idNumberMasked: '320481********123X', idHash: `h-${memberId}`, sex: facts.sex, facts };
}

export function household(members: { id: string; facts: PersonFacts; packages?: string[] }[]): HouseholdSelection {
  return {
    representativeName: '张三',
    people: members.map((m) => person(m.id, m.facts)),
    selections: members.map((m) => ({ memberId: m.id, person: m.facts, packageCodes: m.packages ?? [] })),
  };
}

export function team(over: Partial<TeamState> = {}): TeamState {
  return { id: 't1', name: '王建国团队', institutionId: 'i1', institutionName: '测试卫生院', regionId: 'liyang-2019', capacity: 10, memberCount: 0, ...over };
}

export const NOW = new Date('2025-03-01T02:00:00.000Z');

/** An agreement signed through planSigning (free → active; with ELDERLY → pending_payment). */
export function signed(h: HouseholdSelection = household([{ id: 'a', facts: ADULT }]), over: { id?: string; now?: Date; team?: TeamState } = {}): AgreementRecord {
  return planSigning({
    accountId: 'acct-1',
    by: { kind: 'resident', id: 'acct-1' },
    request: { agreementTextVersion: '2025.1', idempotencyKey: 'k1', requestHash: 'hash-1' },
    team: over.team ?? team(),
    household: h,
    policy: LIYANG,
    today: '2025-03-01',
    now: over.now ?? NOW,
    id: over.id ?? '6ea1e0ea-dd5d-4f88-92f8-03760caededd',
    holdMinutes: 30,
  }).agreement;
}

/** A pending agreement as if its payment had been applied (status active, paid). */
export function paid(a: AgreementRecord, now: Date = NOW): AgreementRecord {
  return transitioned(a, { status: 'active', paidFen: a.residentDueFen, paidAt: now.toISOString(), activatedAt: now.toISOString(), payments: [{ agreementId: a.id, outTradeNo: a.id.replace(/-/g, ''), amountFen: a.residentDueFen }] }, historyEntry(now, { kind: 'payment', id: 'tx' }, 'paid', 'pending_payment', 'active'));
}

export const names = (p: AgreementPlan): string[] => p.items.map((i) => i.name);

export function item(p: AgreementPlan, name: string): AgreementItem {
  const found = p.items.find((i) => i.name === name);
  if (!found) throw new Error(`no item ${name} in ${names(p).join(', ')}`);
  return found;
}

/** What the named item's failed condition means, with the item as it was stored. */
export const failureOf = (p: AgreementPlan, name: string, stored: Stored) => item(p, name).onFail?.(stored);
