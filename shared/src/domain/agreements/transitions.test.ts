import { describe, expect, it } from 'vitest';
import { policyFor } from '../policy';
import { ADULT, ELDER, ELDERLY, LIYANG, NOW, failureOf, household, item, names, paid, signed } from './fixtures';
import { transitioned, historyEntry } from './record';
import { planExpiry, planHandOver, planTermination, planUnpaidEnd, terminationPreview } from './transitions';

const resident = { kind: 'resident' as const, id: 'acct-1' };
const later = new Date('2025-03-01T03:00:00Z');

describe('planUnpaidEnd', () => {
  const pending = signed(household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }]));

  it.each([
    ['unpaid', 'payment_expired', '超时未支付'],
    // The resident's own cancellation is recorded as theirs, not as an expired payment.
    ['cancelled_by_resident', 'cancelled', '居民取消签约'],
  ] as const)('%s → history %s (%s), places released in the same plan', (reason, action, text) => {
    const t = planUnpaidEnd(pending, undefined, reason, later, resident)!;
    expect(t.after).toMatchObject({ status: 'cancelled', endReason: reason, version: pending.version + 1 });
    expect(t.after.history.at(-1)).toMatchObject({ action, reason: text, from: 'pending_payment', to: 'cancelled', by: resident });
    expect(names(t.plan)).toEqual(['agreement', 'audit', 'teamCounter', 'personLock:0']);
    expect(item(t.plan, 'personLock:0').write).toEqual({ op: 'releaseLock', idHash: 'h-e', agreementId: pending.id });
    expect(failureOf(t.plan, 'agreement', undefined)).toEqual({ kind: 'retry' });
  });

  it('an unpaid renewal held no places: it only detaches from its predecessor', () => {
    const prev = { ...paid(signed(household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }]), { id: 'prev' })), nextAgreementId: pending.id };
    const renewal = { ...pending, origin: 'renewal' as const, previousAgreementId: 'prev' };
    const t = planUnpaidEnd(renewal, prev, 'unpaid', later, resident)!;
    expect(names(t.plan)).toEqual(['agreement', 'audit', 'predecessor']);
    expect(item(t.plan, 'predecessor').write).toMatchObject({ agreement: { id: 'prev', nextAgreementId: undefined }, expect: { version: prev.version } });
  });

  it('nothing for an agreement no longer unpaid', () => expect(planUnpaidEnd(paid(pending), undefined, 'unpaid', later, resident)).toBeUndefined());
});

describe('termination (liyang-2019 §三(二))', () => {
  const active = paid(signed(household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }])));
  const today = '2025-04-01';

  it('releases the places and records the refund (T + out_trade_no) in one plan', () => {
    const t = planTermination(active, LIYANG, { reason: 'voluntary', note: '外出务工' }, [], today, later, resident);
    expect(t.after).toMatchObject({ status: 'terminated', endReason: 'voluntary' });
    expect(t.after.history.at(-1)?.reason).toBe('主动解约：外出务工');
    expect(names(t.plan)).toEqual(['agreement', 'audit', 'teamCounter', 'personLock:0', 'refund', 'reportCounter:t1']);
    expect(t.refund).toEqual({ record: expect.objectContaining({ outRefundNo: `T${active.id.replace(/-/g, '')}`, amountFen: 5000, status: 'pending' }), totalFen: 5000 });
  });

  it.each([
    ['a refund figure that changed since the preview', { ...active }, { reason: 'voluntary' as const, expectedRefundFen: 1 }, 'REFUND_CHANGED'],
    ['an agreement with a renewal pending', { ...active, nextAgreementId: 'n' }, { reason: 'voluntary' as const }, 'RENEWAL_IN_PROGRESS'],
    ['an agreement not active', { ...active, status: 'terminated' as const }, { reason: 'voluntary' as const }, 'AGREEMENT_STATE'],
  ])('refuses %s', (_what, a, input, code) => expect(() => planTermination(a, LIYANG, input, [], today, later, resident)).toThrow(expect.objectContaining({ code })));

  it('zhangjiagang allows early termination for its listed reasons only', () => {
    const zjg = policyFor('zhangjiagang-2017', '2017-06-01');
    expect(() => planTermination(active, zjg, { reason: 'voluntary' }, [], today, later, resident)).toThrow(expect.objectContaining({ code: 'TERMINATION_NOT_ALLOWED' }));
  });

  it('the preview shows the same refund and the policy’s answer', () => {
    expect(terminationPreview(active, LIYANG, 'voluntary', [], today)).toMatchObject({ allowed: true, refundFen: 5000, residentPaidFen: 5000 });
    expect(terminationPreview({ ...active, status: 'expired' }, LIYANG, undefined, [], today)).toMatchObject({ allowed: false, message: '只有生效中的协议可以解约' });
  });
});

describe('cycle end', () => {
  const a = signed(household([{ id: 'a', facts: ADULT }]));
  const end = new Date('2026-01-01T16:30:00Z');

  it('a confirmed renewal takes over: both agreements move, the locks move, the counter stays', () => {
    const next = transitioned({ ...signed(undefined, { id: 'next' }), status: 'scheduled', origin: 'renewal' }, {}, historyEntry(NOW, { kind: 'payment', id: 'tx' }, 'paid', 'pending_payment', 'scheduled'));
    const t = planHandOver(a, next, end);
    expect(t.after).toMatchObject({ status: 'expired', endReason: 'cycle_end' });
    expect(names(t.plan)).toEqual(['agreement', 'successor', 'personLock:0', 'audit', 'successorAudit', 'reportCounter:t1', 'pushActivation:next']);
    expect(item(t.plan, 'successor').write).toMatchObject({ agreement: { status: 'active', activatedAt: end.toISOString() }, expect: { status: 'scheduled' } });
    // One counter item per team: ending one agreement and starting the other nets to nothing but the expiry.
    expect(item(t.plan, 'reportCounter:t1').write).toMatchObject({ delta: { 'e:expired_h': 1, 'a:h': 1, 'e:h': 1 } });
  });

  it('no successor: the agreement expires and releases its places', () => {
    const t = planExpiry(a, undefined, end);
    expect(t.after.history.at(-1)).toMatchObject({ action: 'expired', reason: '服务周期届满', by: { kind: 'system', id: 'daily-job' } });
    expect(names(t.plan)).toEqual(['agreement', 'audit', 'teamCounter', 'personLock:0', 'reportCounter:t1']);
  });
});
