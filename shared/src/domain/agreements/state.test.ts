import { describe, expect, it } from 'vitest';
import { policyFor } from '../policy';
import { ADULT, ELDER, ELDERLY, LIYANG, household, paid, signed } from './fixtures';
import { agreementActions, canChangeTeam, canRenew, canTerminate, holdsPlaces } from './state';
import { agreementRecord, historyEntry, termsOf } from './record';

const active = paid(signed(household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }])));
const free = signed(household([{ id: 'a', facts: ADULT }]));

describe('canRenew (liyang-2019: Q4 window, 每年第四季度集中签订下一年度协议)', () => {
  it.each([
    ['2025-09-30', false, 'RENEWAL_WINDOW_CLOSED'],
    ['2025-10-01', true, undefined],
    ['2025-12-31', true, undefined],
    ['2026-01-01', false, 'RENEWAL_WINDOW_CLOSED'],
  ])('on %s → %s', (today, ok, code) => {
    const c = canRenew(active, LIYANG, today);
    expect(c.ok).toBe(ok);
    if (!c.ok) expect(c.error.code).toBe(code);
  });
  it('names the window in the refusal', () => {
    const c = canRenew(active, LIYANG, '2025-09-30');
    expect(!c.ok && c.error.message).toBe('续约办理时间为2025-10-01至2025-12-31');
  });
  it.each([
    ['already renewed', { ...active, nextAgreementId: 'n' }, 'ALREADY_RENEWED'],
    ['not active', { ...active, status: 'pending_payment' as const }, 'AGREEMENT_STATE'],
  ])('refuses an agreement %s', (_w, a, code) => {
    const c = canRenew(a, LIYANG, '2025-11-01');
    expect(!c.ok && c.error.code).toBe(code);
  });
});

describe('canTerminate / canChangeTeam', () => {
  const zjg = policyFor('zhangjiagang-2017', '2017-06-01');
  it.each([
    ['liyang', LIYANG, 'voluntary', true],
    ['zhangjiagang', zjg, 'voluntary', false],
    ['zhangjiagang', zjg, 'moved_out', true],
  ] as const)('%s, reason %s → %s', (_region, policy, reason, ok) => expect(canTerminate(active, policy, reason).ok).toBe(ok));
  it('a renewal pending blocks both', () => {
    expect(canTerminate({ ...active, nextAgreementId: 'n' }, LIYANG).ok).toBe(false);
    expect(canChangeTeam({ ...active, nextAgreementId: 'n' }).ok).toBe(false);
  });
});

describe('agreementActions (what the view offers = what the requests accept)', () => {
  it.each([
    ['an unpaid agreement on 2025-03-02', signed(household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }])), '2025-03-02', { pay: true, terminate: false, changeTeam: false, renew: false }],
    ['an active agreement before the window (06-01)', active, '2025-06-01', { pay: false, terminate: true, changeTeam: true, renew: false }],
    ['an active agreement in the window (11-01)', active, '2025-11-01', { pay: false, terminate: true, changeTeam: true, renew: true }],
    ['an agreement already renewed', { ...active, nextAgreementId: 'n' }, '2025-11-01', { pay: false, terminate: false, changeTeam: false, renew: false }],
    ['an agreement of an unknown policy version', { ...active, policyVersion: 'nope' }, '2025-11-01', { pay: false, terminate: false, changeTeam: true, renew: false }],
  ])('%s', (_w, a, today, actions) => expect(agreementActions(a, today)).toEqual({ ...actions, document: true }));
});

describe('holdsPlaces', () => {
  it.each([
    ['pending_payment', 'signed', true],
    ['pending_payment', 'renewal', false],
    ['active', 'renewal', true],
    ['scheduled', 'renewal', false],
    ['cancelled', 'signed', false],
  ] as const)('%s (%s) → %s', (status, origin, held) => expect(holdsPlaces({ status, origin })).toBe(held));
});

describe('agreementRecord (the one builder)', () => {
  it('a scheduled renewal counts as activated at creation; the shard is fixed by the id', () => {
    const first = historyEntry(new Date('2025-11-20T02:00:00Z'), { kind: 'resident', id: 'a' }, 'renewal_signed', null, 'scheduled');
    const r = agreementRecord({ id: 'r1', accountId: 'a', representativeName: '张三', team: { id: 't', name: 'T', institutionId: 'i', institutionName: 'I' }, terms: termsOf(free), status: 'scheduled', origin: 'renewal', consent: free.consent, idempotencyKey: 'k', first, holdMinutes: 30, previousAgreementId: free.id });
    expect(r).toMatchObject({ activatedAt: first.at, createdAt: first.at, updatedAt: first.at, version: 1, paidFen: 0, payments: [], history: [first], previousAgreementId: free.id });
    expect(r.pendingExpiresAt).toBeUndefined();
    expect(r.shard).toBeGreaterThanOrEqual(0);
    expect(r.shard).toBeLessThan(16);
  });
});
