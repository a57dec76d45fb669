import { describe, expect, it } from 'vitest';
import { policyFor } from '../policy';
import { ConflictError } from '../errors';
import { ADULT, ELDER, ELDERLY, LIYANG, NOW, failureOf, household, item, names, paid, signed, team } from './fixtures';
import { PersonLocked } from './refusals';
import { planFreeSuccessor, planRenewal, planSigning, planTeamChange, renewalSelections, type SigningState } from './signing';

const base = (over: Partial<SigningState> = {}): SigningState => ({
  accountId: 'acct-1',
  by: { kind: 'resident', id: 'acct-1' },
  request: { agreementTextVersion: '2025.1', idempotencyKey: 'k1', requestHash: 'hash-1' },
  team: team(),
  household: household([
    { id: 'a', facts: ADULT },
    { id: 'b', facts: ADULT },
  ]),
  policy: LIYANG,
  today: '2025-03-01',
  now: NOW,
  id: 'id-1',
  holdMinutes: 30,
  ...over,
});

describe('planSigning', () => {
  it('a free household: idempotency, one lock per member, the team counter, agreement, audit, receivable, report counter — in that precedence', () => {
    const { agreement: a, plan } = planSigning(base());
    expect(a).toMatchObject({ status: 'active', origin: 'signed', version: 1, teamId: 't1', institutionName: '测试卫生院', activatedAt: NOW.toISOString() });
    expect(a.pendingExpiresAt).toBeUndefined();
    expect(names(plan)).toEqual(['idempotency', 'personLock:0', 'personLock:1', 'teamCounter', 'agreement', 'audit', 'receivable', 'reportCounter:t1', 'pushActivation:id-1']);
    expect(item(plan, 'teamCounter').write).toEqual({ op: 'takePlaces', teamId: 't1', n: 2, capacity: 10 });
    expect(item(plan, 'reportCounter:t1').write).toMatchObject({ op: 'reportCounter', month: '2025-03', delta: { 'a:h': 1, 'a:p': 2 } });
  });

  it('a paid agreement holds its places for the unpaid hold; no receivable and no counter before it is paid', () => {
    const { agreement: a, plan } = planSigning(base({ household: household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }]) }));
    expect(a).toMatchObject({ status: 'pending_payment', residentDueFen: 5000, pendingExpiresAt: '2025-03-01T02:30:00.000Z' });
    expect(a.activatedAt).toBeUndefined();
    expect(names(plan)).toEqual(['idempotency', 'personLock:0', 'teamCounter', 'agreement', 'audit']);
  });

  it.each([
    ['idempotency', { agreementId: 'first', requestHash: 'h0' }, { kind: 'replay', id: 'first', requestHash: 'h0' }],
    ['teamCounter', { capacity: 10, memberCount: 9 }, { kind: 'refuse', error: expect.objectContaining({ code: 'TEAM_FULL', message: '团队已满，请选择其他家庭医生团队' }) }],
    ['teamCounter', { capacity: 12, memberCount: 9 }, { kind: 'retry' }],
  ] as const)('a failed %s condition (stored %o) means %o', (name, stored, meaning) => {
    expect(failureOf(planSigning(base()).plan, name, stored)).toEqual(meaning);
  });

  it('a member who holds another agreement is refused by name and path, with the holder for lazy expiry', () => {
    const f = failureOf(planSigning(base()).plan, 'personLock:1', { agreementId: 'other' });
    if (f?.kind !== 'refuse') throw new Error(`expected a refusal, got ${f?.kind}`);
    const e = f.error;
    expect(e).toBeInstanceOf(PersonLocked);
    expect(e).toMatchObject({ code: 'ALREADY_SIGNED', heldBy: 'other', fields: [{ path: 'members.1.memberId', message: '成员b已有生效或待支付的签约' }] });
  });

  it.each([
    ['an outdated agreement text', base({ request: { agreementTextVersion: '2019.1', idempotencyKey: 'k', requestHash: 'h' } }), 'AGREEMENT_TEXT_OUTDATED'],
    ['a team already full', base({ team: team({ capacity: 10, memberCount: 9 }) }), 'TEAM_FULL'],
    ['a package the member may not sign', base({ household: household([{ id: 'a', facts: ADULT, packages: [ELDERLY] }]) }), 'QUOTE_NOT_SIGNABLE'],
  ])('refuses %s before any write', (_what, state, code) => {
    expect(() => planSigning(state)).toThrow(expect.objectContaining({ code }));
  });
});

describe('planRenewal', () => {
  const current = paid(signed(household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }])));
  const renewal = (today: string, over: { nextAgreementId?: string } = {}) =>
    planRenewal({
      current: { ...current, ...over },
      policy: LIYANG,
      nextPolicy: policyFor('liyang-2019', '2026-01-01'),
      household: household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }]),
      input: { idempotencyKey: 'r1', requestHash: 'rh' },
      by: { kind: 'resident', id: 'acct-1' },
      today,
      now: new Date(`${today}T02:00:00Z`),
      id: 'next-1',
      holdMinutes: 30,
    });

  it.each([
    ['2025-09-30', 'RENEWAL_WINDOW_CLOSED'],
    ['2026-01-01', 'RENEWAL_WINDOW_CLOSED'],
  ])('liyang renews in Q4 only: %s → %s', (today, code) => expect(() => renewal(today)).toThrow(expect.objectContaining({ code })));

  it('an agreement renewed already is refused', () => expect(() => renewal('2025-11-20', { nextAgreementId: 'x' })).toThrow(expect.objectContaining({ code: 'ALREADY_RENEWED' })));

  it('creates the successor for the next cycle, linked both ways; a moved predecessor is refused, not retried', () => {
    const { agreement: next, plan } = renewal('2025-11-20');
    expect(next).toMatchObject({ status: 'pending_payment', origin: 'renewal', previousAgreementId: current.id, cycleStart: '2026-01-01', cycleEnd: '2026-12-31' });
    expect(names(plan)).toEqual(['idempotency', 'agreement', 'successor', 'audit', 'successorAudit']);
    expect(item(plan, 'agreement').write).toMatchObject({ agreement: { nextAgreementId: 'next-1' }, expect: { status: 'active', version: current.version } });
    expect(failureOf(plan, 'agreement', undefined)).toMatchObject({ kind: 'refuse', error: { code: 'AGREEMENT_STATE' } });
  });

  it('keeps the members’ packages (the basic package is added again by the quote)', () => {
    expect(renewalSelections(current, LIYANG, false)).toEqual([{ memberId: 'e', packageCodes: [ELDERLY] }]);
    expect(renewalSelections(current, LIYANG, true)).toEqual([{ memberId: 'e', packageCodes: [] }]);
  });
});

describe('planTeamChange', () => {
  const current = signed();
  const change = (t = team({ id: 't2', name: '李团队' })) => planTeamChange({ current, team: t, reason: '搬家', by: { kind: 'resident', id: 'acct-1' }, now: NOW, id: 'moved-1' });

  it.each([
    ['the same team', team(), 'SAME_TEAM'],
    ['a team of another region', team({ id: 't2', regionId: 'jilin-2017' }), 'REGION_MISMATCH'],
    ['a full team', team({ id: 't2', capacity: 1, memberCount: 1 }), 'TEAM_FULL'],
  ])('refuses %s', (_what, t, code) => expect(() => change(t)).toThrow(expect.objectContaining({ code })));

  it('moves terms, payments and places to a new agreement at the new team in one plan', () => {
    const { agreement: next, plan } = change();
    expect(next).toMatchObject({ status: 'active', origin: 'team_change', teamId: 't2', teamName: '李团队', previousAgreementId: current.id, cycleStart: current.cycleStart, members: current.members });
    expect(names(plan)).toEqual(['agreement', 'teamCounter', 'successor', 'previousTeamCounter', 'personLock:0', 'audit', 'successorAudit', 'reportCounter:t1', 'reportCounter:t2', 'pushActivation:moved-1']);
    expect(item(plan, 'agreement').write).toMatchObject({ agreement: { status: 'changed', endReason: 'team_changed', nextAgreementId: 'moved-1' } });
    expect(item(plan, 'personLock:0').write).toMatchObject({ op: 'moveLock', from: current.id, to: 'moved-1', teamId: 't2' });
  });

  it('refuses an agreement that is not active', () => expect(() => planTeamChange({ current: { ...current, status: 'terminated' }, team: team({ id: 't2' }), reason: 'x', by: { kind: 'resident', id: 'a' }, now: NOW, id: 'm' })).toThrow(ConflictError));
});

describe('planFreeSuccessor (liyang-2019 §二(三)2)', () => {
  const current = signed();
  const at = new Date('2026-01-01T16:30:00Z');
  it('a free agreement renews for the next cycle as free', () => {
    const d = planFreeSuccessor({ current, policy: policyFor('liyang-2019', '2026-01-01'), household: household([{ id: 'a', facts: ADULT }]), origin: 'auto_renewal', reason: '自动续约', today: '2026-01-02', now: at, id: 'free-1' })!;
    expect(d.agreement).toMatchObject({ status: 'active', signingKind: 'free', residentDueFen: 0, origin: 'auto_renewal', idempotencyKey: `auto_renewal-${current.id}`, cycleStart: '2026-01-01' });
    expect(names(d.plan)).toEqual(['agreement', 'successor', 'personLock:0', 'audit', 'successorAudit', 'receivable', 'reportCounter:t1', 'pushActivation:free-1']);
  });
  it('nothing when the members would owe money (the agreement expires instead)', () => {
    const owes = household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }]);
    expect(planFreeSuccessor({ current, policy: LIYANG, household: owes, origin: 'auto_renewal', reason: '', today: '2026-01-02', now: at, id: 'x' })).toBeUndefined();
  });
});
