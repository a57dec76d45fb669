/**
 * WeChat Pay flows (issue 5; docs/signing.md "Payments"): the order of an agreement, a verified
 * notification applied exactly once (decidePayment → one plan), automatic refunds of money an
 * agreement cannot use, and the simulated provider's path on the local stack.
 */
import { agreementIdOfOutTradeNo, outTradeNoOf } from '@jiayi/shared/domain/agreements/lifecycle';
import { decidePayment, planPaymentOrder, planRefundSettled, teamNeeded, type LateRefund, type PaymentNotice } from '@jiayi/shared/domain/agreements/payments';
import { agreementNotFound, paymentBusy, payerUnknown } from '@jiayi/shared/domain/agreements/refusals';
import { assertAllowed, canPay } from '@jiayi/shared/domain/agreements/state';
import { NotFoundError } from '@jiayi/shared/domain/errors';
import { NotificationRejected, SimulatedPayProvider, type PaymentNotification } from '../adapters/wechatpay';
import { rfc3339Shanghai } from '../adapters/wechatpay/signing';
import { accountOpenid, getAgreement, getPayment, loadAgreementPartition, type RefundRecord } from '../db/agreements.repo';
import { applyAgreementPlan } from '../db/agreements.tx';
import { getTeam } from '../db/teams.repo';
import { settings } from '../lib/config';
import { log } from '../lib/log';
import { ownedAgreement } from './expiry';
import { paymentProvider, refundProvider } from './settings';

const MAX_ROUNDS = 5;

export interface PayResult {
  agreementId: string;
  outTradeNo: string;
  amountFen: number;
  expiresAt: string;
  requestPayment: Awaited<ReturnType<ReturnType<typeof paymentProvider>['createOrder']>>['requestPayment'];
}

/** POST /agreements/{id}/pay: the prepay order for residentDueFen (one order per agreement). */
export async function payAgreement(accountId: string, id: string, now: Date): Promise<PayResult> {
  let a = await ownedAgreement(accountId, id, now);
  assertAllowed(canPay(a));
  const outTradeNo = outTradeNoOf(a.id);
  for (let round = 0; !(await getPayment(a.id, outTradeNo)); round++) {
    const order = planPaymentOrder(a, now);
    if ((await applyAgreementPlan(order.plan)).kind === 'committed') {
      a = order.after;
      break;
    }
    if (round >= MAX_ROUNDS) throw new Error('payment order: still stale');
    a = await ownedAgreement(accountId, id, now);
    assertAllowed(canPay(a));
  }
  const openid = await accountOpenid(accountId);
  if (!openid) throw payerUnknown();
  const expiresAt = a.pendingExpiresAt!;
  const order = await paymentProvider().createOrder({
    outTradeNo,
    description: '家庭医生签约服务费',
    amountFen: a.residentDueFen,
    payerOpenid: openid,
    notifyUrl: settings().paymentNotifyUrl,
    expiresAt: new Date(expiresAt),
    attach: a.id,
  });
  return { agreementId: a.id, outTradeNo, amountFen: a.residentDueFen, expiresAt, requestPayment: order.requestPayment };
}

export type NotificationResult = { outcome: string; agreementId?: string };

/**
 * POST /payments/wechat/notify (and the simulated path): verify, then apply the payment exactly
 * once. Duplicates and out-of-order notifications change nothing twice: the payment item moves
 * created → paid under a condition, and the agreement transition is conditioned on its status.
 */
export async function handlePaymentNotification(input: { headers: Record<string, string | undefined>; rawBody: string; now: Date; requestId: string }): Promise<NotificationResult> {
  let n: PaymentNotification;
  try {
    n = await paymentProvider().parseNotification({ headers: input.headers, rawBody: input.rawBody, now: input.now });
  } catch (e) {
    if (e instanceof NotificationRejected) log.warn('payment notification rejected', { requestId: input.requestId, reason: e.reason, detail: e.detail });
    throw e;
  }
  const agreementId = n.attach && /^[0-9a-f-]{36}$/.test(n.attach) ? n.attach : agreementIdOfOutTradeNo(n.outTradeNo);
  if (!agreementId || outTradeNoOf(agreementId) !== n.outTradeNo) {
    log.error('payment notification for an unknown order', { requestId: input.requestId, outTradeNo: n.outTradeNo, eventId: n.eventId });
    return { outcome: 'unknown_order' };
  }
  const notice: PaymentNotice = { eventId: n.eventId, outTradeNo: n.outTradeNo, transactionId: n.transactionId, tradeState: n.tradeState, amountFen: n.amountFen.total, ...(n.successTime && { successTime: n.successTime }) };
  return applyPayment(agreementId, notice, input.now, input.requestId);
}

/** The notification against the agreement as read; a lost race reads again and decides again. */
async function applyPayment(agreementId: string, notice: PaymentNotice, now: Date, requestId: string): Promise<NotificationResult> {
  for (let round = 0; round < MAX_ROUNDS * 2; round++) {
    const part = await loadAgreementPartition(agreementId);
    if (!part) {
      log.error('payment notification for a missing agreement', { requestId, agreementId, eventId: notice.eventId });
      return { outcome: 'unknown_order', agreementId };
    }
    const agreement = part.agreement;
    const payment = part.payments.find((p) => p.outTradeNo === notice.outTradeNo);
    const team = teamNeeded({ agreement, payment, notice }) ? await getTeam(agreement.teamId, true) : undefined;
    const d = decidePayment({ agreement, payment, notice, team, now });
    switch (d.kind) {
      case 'duplicate':
        log.info('payment notification duplicate', { requestId, agreementId, eventId: notice.eventId });
        return { outcome: 'duplicate', agreementId };
      case 'record_only':
        if (d.plan && (await applyAgreementPlan(d.plan)).kind !== 'committed') continue;
        return { outcome: 'record_only', agreementId };
      case 'activate':
        if ((await applyAgreementPlan(d.plan)).kind !== 'committed') continue;
        log.info('agreement paid', { requestId, agreementId, status: d.to });
        return { outcome: 'activate', agreementId };
      case 'reactivate': {
        const applied = await applyAgreementPlan(d.plan);
        if (applied.kind === 'committed') {
          log.info('agreement reactivated by a late payment', { requestId, agreementId });
          return { outcome: 'reactivated', agreementId };
        }
        if (applied.kind === 'retry') continue;
        // The places are gone (TEAM_FULL, ALREADY_SIGNED): the money goes back.
        if (!(await refundLatePayment(agreementId, d.otherwise, now, requestId))) continue;
        return { outcome: 'refunded', agreementId };
      }
      case 'refund':
        if (!(await refundLatePayment(agreementId, d.refund, now, requestId))) continue;
        return { outcome: 'refunded', agreementId };
    }
  }
  throw paymentBusy();
}

/** Record a payment the agreement cannot use, and send it back through the adapter. False when the records moved meanwhile. */
async function refundLatePayment(agreementId: string, late: LateRefund, now: Date, requestId: string): Promise<boolean> {
  if ((await applyAgreementPlan(late.plan)).kind !== 'committed') return false;
  log.warn('payment refunded automatically', { requestId, agreementId, amountFen: late.refund.amountFen, reason: late.refund.reason });
  await sendRefund(agreementId, late.refund, late.totalFen, now);
  return true;
}

/** Send a recorded refund through the provider and settle the records (retry-safe: deterministic outRefundNo). */
export async function sendRefund(agreementId: string, refund: RefundRecord, totalFen: number, now: Date): Promise<void> {
  try {
    const r = await refundProvider().refund({ outTradeNo: refund.outTradeNo, outRefundNo: refund.outRefundNo, refundFen: refund.amountFen, totalFen, reason: refund.reason.slice(0, 80) });
    const payment = await getPayment(agreementIdOfOutTradeNo(refund.outTradeNo) ?? agreementId, refund.outTradeNo);
    const agreement = await getAgreement(agreementId);
    const applied = await applyAgreementPlan(planRefundSettled({ refund, answer: { status: r.status, refundId: r.refundId }, payment, agreement, totalFen, now }));
    if (applied.kind !== 'committed') throw new Error(`refund records moved meanwhile (${applied.item})`);
  } catch (e) {
    // The refund record stays 'pending' for staff follow-up (a retry with the same outRefundNo never refunds twice).
    log.error('refund failed', { agreementId, outRefundNo: refund.outRefundNo, error: e instanceof Error ? e.message : String(e) });
  }
}

/** POST /payments/simulate/{agreementId} (simulated provider only): a signed, encrypted success notification through the SAME path. */
export async function simulatePayment(accountId: string, agreementId: string, now: Date, requestId: string): Promise<NotificationResult> {
  const provider = paymentProvider();
  if (!(provider instanceof SimulatedPayProvider)) throw new NotFoundError('接口不存在', 'NO_ROUTE');
  const a = await getAgreement(agreementId);
  if (!a || a.accountId !== accountId) throw agreementNotFound();
  const openid = (await accountOpenid(accountId)) ?? 'simulated-openid';
  const outTradeNo = outTradeNoOf(a.id);
  const n = provider.buildNotification({
    outTradeNo,
    transactionId: simulatedTransactionId(outTradeNo),
    amountFen: a.residentDueFen,
    tradeState: 'SUCCESS',
    successTime: rfc3339Shanghai(now),
    payerOpenid: openid,
    attach: a.id,
    now,
  });
  return handlePaymentNotification({ headers: n.headers, rawBody: n.rawBody, now, requestId });
}

export function simulatedTransactionId(outTradeNo: string): string {
  return `4200${BigInt(`0x${outTradeNo.slice(0, 15)}`).toString().padStart(24, '0').slice(0, 24)}`;
}
