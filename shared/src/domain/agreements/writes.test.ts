import { describe, expect, it } from 'vitest';
import { policyFor } from '../policy';
import { ADULT, ELDER, ELDERLY, LIYANG, NOW, household, item, names, paid, signed, team } from './fixtures';
import { decidePayment } from './payments';
import { historyEntry, newPayment, transitioned, type AgreementRecord } from './record';
import { planFreeSuccessor, planRenewal, planSigning, planTeamChange } from './signing';
import { planExpiry, planHandOver, planTermination, planUnpaidEnd } from './transitions';
import type { AgreementPlan } from './writes';

/**
 * The health-push activation marker (issue 11, docs/push-at-scale.md "Catch-up"): every plan that
 * moves an agreement into `active` carries `pushActivation:<agreementId>`, so the catch-up sweep
 * finds every new active resident, whatever the path; no other plan carries one.
 */
const free = household([{ id: 'a', facts: ADULT }]);
const owing = household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }]);
const pending = signed(owing);
const order = newPayment(pending, NOW.toISOString());
const at = new Date('2025-03-01T02:10:00Z');
const cycleEnd = new Date('2026-01-01T16:30:00Z');
const resident = { kind: 'resident' as const, id: 'acct-1' };
const notice = { eventId: 'ev-1', outTradeNo: order.outTradeNo, transactionId: '4200000001', tradeState: 'SUCCESS' as const, amountFen: 5000, successTime: '2025-03-01T10:09:00+08:00' };
const cancelled = transitioned(pending, { status: 'cancelled', endReason: 'unpaid' }, historyEntry(NOW, { kind: 'system', id: 'job' }, 'payment_expired', 'pending_payment', 'cancelled'));
const scheduled = transitioned({ ...signed(undefined, { id: 'next' }), status: 'scheduled', origin: 'renewal' }, {}, historyEntry(NOW, { kind: 'payment', id: 'tx' }, 'paid', 'pending_payment', 'scheduled'));

const signing = (h = free) =>
  planSigning({
    accountId: 'acct-1',
    by: resident,
    request: { agreementTextVersion: '2025.1', idempotencyKey: 'k1', requestHash: 'hash-1' },
    team: team(),
    household: h,
    policy: LIYANG,
    today: '2025-03-01',
    now: NOW,
    id: 'new-1',
    holdMinutes: 30,
  });
const freeSuccessor = (origin: 'auto_renewal' | 'fall_back') =>
  planFreeSuccessor({ current: signed(), policy: policyFor('liyang-2019', '2026-01-01'), household: free, origin, reason: '', today: '2026-01-02', now: cycleEnd, id: `${origin}-1` })!;
const payment = (agreement: AgreementRecord, t = team()) => {
  const d = decidePayment({ agreement, payment: order, notice, team: t, now: at });
  if (d.kind !== 'activate' && d.kind !== 'reactivate') throw new Error(`expected an activation, got ${d.kind}`);
  return d.plan;
};

const markers = (p: AgreementPlan) => names(p).filter((n) => n.startsWith('pushActivation:'));

describe('pushActivation: the marker of every activation', () => {
  it.each<[string, () => { plan: AgreementPlan; id: string; at: string; regionId: string; shard: number }]>([
    ['a free signing', () => { const d = signing(); return { plan: d.plan, ...d.agreement, at: NOW.toISOString() }; }],
    ['a payment of an unpaid signing', () => ({ plan: payment(pending), ...pending, at: at.toISOString() })],
    ['a late payment that re-takes the places', () => ({ plan: payment(cancelled), ...cancelled, at: at.toISOString() })],
    ['a confirmed renewal taking over at the cycle end', () => ({ plan: planHandOver(signed(), scheduled, cycleEnd).plan, ...scheduled, at: cycleEnd.toISOString() })],
    ['a free agreement renewing itself', () => { const d = freeSuccessor('auto_renewal'); return { plan: d.plan, ...d.agreement, at: d.agreement.createdAt }; }],
    ['a paid agreement falling back to free service', () => { const d = freeSuccessor('fall_back'); return { plan: d.plan, ...d.agreement, at: d.agreement.createdAt }; }],
    ['a change of team', () => { const d = planTeamChange({ current: signed(), team: team({ id: 't2' }), reason: '搬家', by: resident, now: NOW, id: 'moved-1' }); return { plan: d.plan, ...d.agreement, at: NOW.toISOString() }; }],
  ])('%s carries the marker of the agreement that became active', (_what, make) => {
    const { plan, id, at: when, regionId, shard } = make();
    expect(markers(plan)).toEqual([`pushActivation:${id}`]);
    expect(item(plan, `pushActivation:${id}`).write).toEqual({ op: 'pushActivation', agreementId: id, regionId, shard, at: when });
    // A marker's condition cannot fail for a domain reason (an unconditioned Put).
    expect(item(plan, `pushActivation:${id}`).onFail).toBeUndefined();
  });

  it.each<[string, () => AgreementPlan]>([
    ['a signing that waits for its payment', () => signing(owing).plan],
    ['a renewal (pending payment or scheduled, not active yet)', () => planRenewal({ current: paid(pending), policy: LIYANG, nextPolicy: policyFor('liyang-2019', '2026-01-01'), household: owing, input: { idempotencyKey: 'r1', requestHash: 'rh' }, by: resident, today: '2025-11-20', now: new Date('2025-11-20T02:00:00Z'), id: 'r-1', holdMinutes: 30 }).plan],
    ['a paid renewal (scheduled until its cycle starts)', () => {
      const d = decidePayment({ agreement: { ...pending, origin: 'renewal' }, payment: order, notice, team: undefined, now: at });
      if (d.kind !== 'activate' || d.to !== 'scheduled') throw new Error(`expected a scheduled renewal, got ${d.kind}`);
      return d.plan;
    }],
    ['an unpaid expiry', () => planUnpaidEnd(pending, undefined, 'unpaid', at, resident)!.plan],
    ['a termination', () => planTermination(paid(pending), LIYANG, { reason: 'voluntary' }, [], '2025-04-01', at, resident).plan],
    ['an expiry at the cycle end', () => planExpiry(signed(), undefined, cycleEnd).plan],
  ])('%s carries none', (_what, make) => expect(markers(make())).toEqual([]));
});
