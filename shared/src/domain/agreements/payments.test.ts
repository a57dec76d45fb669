import { describe, expect, it } from 'vitest';
import { ELDER, ELDERLY, NOW, failureOf, household, item, names, signed, team } from './fixtures';
import { newPayment, transitioned, historyEntry } from './record';
import { decidePayment, planPaymentOrder, planRefundSettled, REFUND_REASONS, type PaymentNotice } from './payments';

const pending = signed(household([{ id: 'e', facts: ELDER, packages: [ELDERLY] }]));
const order = newPayment(pending, NOW.toISOString());
const at = new Date('2025-03-01T02:10:00Z');
const notice = (over: Partial<PaymentNotice> = {}): PaymentNotice => ({
  eventId: 'ev-1',
  outTradeNo: order.outTradeNo,
  transactionId: '4200000001',
  tradeState: 'SUCCESS',
  amountFen: 5000,
  successTime: '2025-03-01T10:09:00+08:00',
  ...over,
});
const cancelled = transitioned(pending, { status: 'cancelled', endReason: 'unpaid' }, historyEntry(NOW, { kind: 'system', id: 'job' }, 'payment_expired', 'pending_payment', 'cancelled'));

describe('planPaymentOrder', () => {
  it('creates the one order and links it from the agreement (both conditioned: a race reads again)', () => {
    const { after, plan } = planPaymentOrder(pending, at);
    expect(after.payments).toEqual([{ agreementId: pending.id, outTradeNo: order.outTradeNo, amountFen: 5000 }]);
    expect(names(plan)).toEqual(['agreement', 'payment']);
    expect(failureOf(plan, 'payment', undefined)).toEqual({ kind: 'retry' });
  });
});

describe('decidePayment (docs/signing.md "Payments")', () => {
  it('activates an unpaid agreement: payment created → paid, receivable and counters in the same plan', () => {
    const d = decidePayment({ agreement: pending, payment: order, notice: notice(), team: undefined, now: at });
    expect(d.kind).toBe('activate');
    if (d.kind !== 'activate') return;
    expect(names(d.plan)).toEqual(['agreement', 'payment', 'audit', 'receivable', 'reportCounter:t1', `pushActivation:${pending.id}`]);
    expect(item(d.plan, 'payment').write).toMatchObject({ payment: { status: 'paid', transactionId: '4200000001', paidAt: '2025-03-01T02:09:00.000Z', eventIds: ['ev-1'] }, expect: 'created' });
    expect(item(d.plan, 'agreement').write).toMatchObject({ agreement: { status: 'active', paidFen: 5000, pendingExpiresAt: undefined } });
  });

  it('re-activates an agreement cancelled as unpaid when its places are still free; refused places → the refund', () => {
    const d = decidePayment({ agreement: cancelled, payment: order, notice: notice(), team: team(), now: at });
    expect(d.kind).toBe('reactivate');
    if (d.kind !== 'reactivate') return;
    expect(names(d.plan)).toEqual(['agreement', 'personLock:0', 'teamCounter', 'payment', 'audit', 'receivable', 'reportCounter:t1', `pushActivation:${cancelled.id}`]);
    expect(failureOf(d.plan, 'teamCounter', { capacity: 10 })).toMatchObject({ kind: 'refuse', error: { code: 'TEAM_FULL' } });
    expect(d.otherwise.refund).toMatchObject({ outRefundNo: `L${order.outTradeNo}`, amountFen: 5000, reason: REFUND_REASONS.expired });
    expect(names(d.otherwise.plan)).toEqual(['agreement', 'payment', 'refund', 'audit']);
  });

  it.each([
    ['another amount than due', pending, notice({ amountFen: 1 }), REFUND_REASONS.amount],
    ['an agreement no longer unpaid', { ...pending, status: 'terminated' as const }, notice(), REFUND_REASONS.state],
    ['a late payment for a renewal', { ...cancelled, origin: 'renewal' as const }, notice(), REFUND_REASONS.expired],
  ])('refunds %s in full', (_what, agreement, n, reason) => {
    const d = decidePayment({ agreement, payment: order, notice: n, team: team(), now: at });
    expect(d).toMatchObject({ kind: 'refund', refund: { refund: { reason }, totalFen: n.amountFen } });
  });

  it('a duplicate changes nothing; a non-success is recorded on the payment once', () => {
    expect(decidePayment({ agreement: pending, payment: { ...order, status: 'paid' }, notice: notice(), team: undefined, now: at }).kind).toBe('duplicate');
    const closed = decidePayment({ agreement: pending, payment: order, notice: notice({ tradeState: 'CLOSED' }), team: undefined, now: at });
    expect(closed.kind === 'record_only' && names(closed.plan!)).toEqual(['payment']);
    const again = decidePayment({ agreement: pending, payment: { ...order, eventIds: ['ev-1'] }, notice: notice({ tradeState: 'CLOSED' }), team: undefined, now: at });
    expect(again).toEqual({ kind: 'record_only' });
  });
});

describe('planRefundSettled', () => {
  const refund = { agreementId: pending.id, outRefundNo: 'L1', outTradeNo: order.outTradeNo, amountFen: 5000, status: 'pending', reason: '退', at: at.toISOString() };
  it('a successful refund settles the refund, the payment and the agreement', () => {
    const p = planRefundSettled({ refund, answer: { status: 'SUCCESS', refundId: 'r1' }, payment: { ...order, status: 'refund_pending' }, agreement: pending, totalFen: 5000, now: at });
    expect(names(p)).toEqual(['agreement', 'payment', 'refund', 'audit']);
    expect(item(p, 'payment').write).toMatchObject({ payment: { status: 'refunded', refundedFen: 5000 }, expect: 'refund_pending' });
  });
  it('a refund still processing only records the provider’s status', () => {
    const p = planRefundSettled({ refund, answer: { status: 'PROCESSING', refundId: 'r1' }, payment: order, agreement: pending, totalFen: 5000, now: at });
    expect(names(p)).toEqual(['refund']);
    expect(item(p, 'refund').write).toMatchObject({ refund: { status: 'processing' }, expect: 'pending' });
  });
});
