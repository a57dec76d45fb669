/**
 * Payment decisions (docs/signing.md "Payments"): the order of an agreement, what a verified
 * notification does (paymentOutcome) as a plan, the automatic refund of money an agreement cannot
 * use, and the settlement of a refund the provider answered. Pure: the notification, the loaded
 * agreement, payment and team, and `now` come in.
 */
import { localDateOf } from '../dates';
import { policyVersion } from '../policy';
import { cycleOnActivation, paymentOutcome } from './lifecycle';
import { historyEntry, newPayment, packageCodesOf, transitioned, type Actor, type AgreementRecord, type HistoryEntry, type PaymentRecord, type RefundRecord } from './record';
import { assertTransition, payAction } from './state';
import type { TeamState } from './signing';
import { audit, claimLocks, moved, paymentItem, receivable, refundItem, statusEffects, takePlaces, type AgreementItem, type AgreementPlan } from './writes';

/** A verified WeChat Pay notification, as the decisions need it. */
export interface PaymentNotice {
  eventId: string;
  outTradeNo: string;
  transactionId: string;
  tradeState: string;
  amountFen: number;
  /** RFC 3339 instant of a successful payment. */
  successTime?: string;
}

// ---------------------------------------------------------------- the order

/** The agreement's one order (created once: later calls reuse it), linked from the agreement. */
export function planPaymentOrder(a: AgreementRecord, now: Date): { after: AgreementRecord; plan: AgreementPlan } {
  const at = now.toISOString();
  const p = newPayment(a, at);
  const after: AgreementRecord = { ...a, payments: [{ agreementId: a.id, outTradeNo: p.outTradeNo, amountFen: p.amountFen }], version: a.version + 1, updatedAt: at };
  return { after, plan: { items: [moved('agreement', a, after), paymentItem(p)] } };
}

// ---------------------------------------------------------------- notifications

/** Money the agreement cannot use: recorded on the agreement and the payment, refunded in full (`L…`). */
export interface LateRefund {
  plan: AgreementPlan;
  refund: RefundRecord;
  totalFen: number;
}

export type PaymentDecision =
  | { kind: 'duplicate' }
  /** Not a success: recorded on the payment only (nothing when it is already recorded or unknown). */
  | { kind: 'record_only'; plan?: AgreementPlan }
  | { kind: 'activate'; plan: AgreementPlan; to: AgreementRecord['status'] }
  /** Cancelled as unpaid with the places still free (the plan's conditions decide); refused: `otherwise`. */
  | { kind: 'reactivate'; plan: AgreementPlan; otherwise: LateRefund }
  | { kind: 'refund'; refund: LateRefund };

export const REFUND_REASONS = {
  expired: '签约已超时取消，名额已释放，款项原路退回',
  amount: '支付金额与应缴金额不符，款项原路退回',
  state: '签约协议已不在待支付状态，款项原路退回',
} as const;

/**
 * What a verified notification does to the agreement as read. Conditional on the agreement's
 * status and the payment's at the time of the write: whichever transition commits first wins,
 * the other reads again and lands here again (payment vs expiry at the same moment).
 */
export function decidePayment(input: { agreement: AgreementRecord; payment: PaymentRecord | undefined; notice: PaymentNotice; team: Pick<TeamState, 'capacity'> | undefined; now: Date }): PaymentDecision {
  const { agreement: a, notice: n, now } = input;
  const at = now.toISOString();
  const payment = input.payment ?? newPayment(a, at);
  const expect = input.payment?.status;
  const outcome = paymentOutcome({ tradeState: n.tradeState, amountFen: n.amountFen, paymentStatus: payment.status, agreement: a });
  const by: Actor = { kind: 'payment', id: n.transactionId };
  const paid: PaymentRecord = {
    ...payment,
    status: 'paid',
    transactionId: n.transactionId,
    paidAt: n.successTime ? new Date(n.successTime).toISOString() : at,
    eventIds: [...payment.eventIds, n.eventId].slice(-20),
    history: [...payment.history, { at, status: 'paid', note: `微信支付交易号${n.transactionId}` }],
  };
  const late = (reason: string) => lateRefund(a, payment, paid, expect, n, now, reason);
  switch (outcome) {
    case 'duplicate':
      return { kind: 'duplicate' };
    case 'record_only': {
      if (payment.eventIds.includes(n.eventId) || !input.payment) return { kind: 'record_only' };
      const next: PaymentRecord = { ...payment, eventIds: [...payment.eventIds, n.eventId].slice(-20), history: [...payment.history, { at, status: n.tradeState }] };
      return { kind: 'record_only', plan: { items: [paymentItem(next, payment.status)] } };
    }
    case 'activate': {
      const to = assertTransition(payAction(a), a.status);
      const cycle = cycleOnActivation(
        policyVersion(a.regionId, a.policyVersion),
        { signingKind: a.signingKind, cycleStart: a.cycleStart, cycleEnd: a.cycleEnd, createdOn: localDateOf(a.createdAt), renewal: a.origin === 'renewal', packageCodes: packageCodesOf(a) },
        localDateOf(paid.paidAt!),
      );
      const e = historyEntry(now, by, 'paid', a.status, to);
      const after = transitioned(
        a,
        {
          status: to,
          paidAt: paid.paidAt,
          paidFen: n.amountFen,
          activatedAt: at,
          pendingExpiresAt: undefined,
          cycleStart: cycle.start,
          cycleEnd: cycle.end,
          payments: a.payments.length ? a.payments : [{ agreementId: a.id, outTradeNo: n.outTradeNo, amountFen: payment.amountFen }],
        },
        e,
      );
      const items: AgreementItem[] = [moved('agreement', a, after), paymentItem(paid, expect), audit('audit', a.id, e)];
      if (after.status === 'active') items.push(receivable(after, after.activatedAt!));
      items.push(...statusEffects([{ before: a, after }], e.at));
      return { kind: 'activate', plan: { items }, to };
    }
    case 'reactivate_or_refund': {
      // A late payment for a renewal is always refunded: the renewal link may already be gone.
      if (a.origin === 'renewal' || !input.team) return { kind: 'refund', refund: late(REFUND_REASONS.expired) };
      const e = historyEntry(now, by, 'reactivated', 'cancelled', 'active', '超时后完成支付，名额仍有空余');
      const after = transitioned(a, { status: 'active', paidAt: paid.paidAt, paidFen: n.amountFen, activatedAt: at, endedAt: undefined, endReason: undefined }, e);
      const items: AgreementItem[] = [
        moved('agreement', a, after),
        ...claimLocks(after),
        takePlaces(after, input.team.capacity),
        paymentItem(paid, expect),
        audit('audit', a.id, e),
        receivable(after, after.activatedAt!),
        ...statusEffects([{ before: a, after }], e.at),
      ];
      return { kind: 'reactivate', plan: { items }, otherwise: late(REFUND_REASONS.expired) };
    }
    case 'refund':
      return { kind: 'refund', refund: late(n.amountFen !== a.residentDueFen ? REFUND_REASONS.amount : REFUND_REASONS.state) };
  }
}

/** Whether deciding needs the agreement's team as read now (a late payment that may re-take the places). */
export function teamNeeded(input: { agreement: AgreementRecord; payment: PaymentRecord | undefined; notice: PaymentNotice }): boolean {
  const { agreement: a, notice: n } = input;
  const paymentStatus = input.payment?.status ?? 'created';
  return a.origin !== 'renewal' && paymentOutcome({ tradeState: n.tradeState, amountFen: n.amountFen, paymentStatus, agreement: a }) === 'reactivate_or_refund';
}

function lateRefund(a: AgreementRecord, payment: PaymentRecord, paid: PaymentRecord, expect: string | undefined, n: PaymentNotice, now: Date, reason: string): LateRefund {
  const at = now.toISOString();
  const refund: RefundRecord = { agreementId: a.id, outRefundNo: `L${n.outTradeNo}`, outTradeNo: n.outTradeNo, amountFen: n.amountFen, status: 'pending', reason, at };
  const e = historyEntry(now, { kind: 'payment', id: n.transactionId }, 'late_payment_refunded', a.status, a.status, reason);
  const next: PaymentRecord = { ...paid, status: 'refund_pending', history: [...paid.history, { at, status: 'refund_pending', note: reason }] };
  const payments = a.payments.some((p) => p.outTradeNo === n.outTradeNo) ? a.payments : [...a.payments, { agreementId: a.id, outTradeNo: n.outTradeNo, amountFen: payment.amountFen }];
  const items: AgreementItem[] = [moved('agreement', a, transitioned(a, { payments }, e)), paymentItem(next, expect), refundItem(refund), audit('audit', a.id, e)];
  return { plan: { items }, refund, totalFen: n.amountFen };
}

// ---------------------------------------------------------------- refund settlement

/**
 * The provider answered a refund: the refund record settles (`pending` → succeeded / its status)
 * and, when it succeeded, the payment and the agreement count the money returned.
 */
export function planRefundSettled(input: {
  refund: RefundRecord;
  answer: { status: string; refundId: string };
  payment: PaymentRecord | undefined;
  agreement: AgreementRecord | undefined;
  totalFen: number;
  now: Date;
}): AgreementPlan {
  const { refund, answer, now } = input;
  const settled = answer.status === 'SUCCESS';
  const at = now.toISOString();
  const items: AgreementItem[] = [];
  const a = settled ? input.agreement : undefined;
  let e: HistoryEntry | undefined;
  if (a) {
    e = historyEntry(now, { kind: 'payment', id: answer.refundId }, 'refunded', a.status, a.status, refund.reason);
    items.push(moved('agreement', a, transitioned(a, { refundedFen: a.refundedFen + refund.amountFen }, e)));
  }
  const pay = settled ? input.payment : undefined;
  if (pay) {
    const refundedFen = pay.refundedFen + refund.amountFen;
    const status = refundedFen >= input.totalFen ? 'refunded' : pay.status === 'refund_pending' ? 'paid' : pay.status;
    items.push(paymentItem({ ...pay, refundedFen, status, history: [...pay.history, { at, status: 'refunded', note: `退款${refund.amountFen}分` }] }, pay.status));
  }
  items.push(refundItem({ ...refund, status: settled ? 'succeeded' : answer.status.toLowerCase(), refundId: answer.refundId }, 'pending'));
  if (a && e) items.push(audit('audit', a.id, e));
  return { items };
}
