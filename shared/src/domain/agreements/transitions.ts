/**
 * Decisions that end or hand over an agreement: unpaid expiry and the resident's own
 * cancellation, early termination with its refund, and the end of a cycle (hand-over to a
 * confirmed renewal, or expiry). Each returns the plan and the agreement as it will be.
 */
import type { LocalDate } from '../dates';
import { ConflictError } from '../errors';
import { TERMINATION_REASONS, canTerminateEarly, type RegionPolicy, type TerminationReason } from '../policy';
import { agreementRefund, outTradeNoOf, type AgreementRefund, type DeliveredUnits } from './lifecycle';
import { historyEntry, transitioned, type Actor, type AgreementRecord, type HistoryEntry, type RefundRecord } from './record';
import { assertAllowed, canTerminate, holdsPlaces } from './state';
import { audit, moved, moveLocks, refundItem, releaseLocks, releasePlaces, statusEffects, type AgreementItem, type AgreementPlan } from './writes';

export interface Transition {
  /** The agreement as the plan leaves it. */
  after: AgreementRecord;
  plan: AgreementPlan;
}

/**
 * An agreement leaves the statuses that hold places: the agreement, its history entry, the places
 * back (locks deleted, team counter down) when it held them, an optional predecessor update and
 * refund record, and the report counters — one transaction.
 */
function release(before: AgreementRecord, after: AgreementRecord, entry: HistoryEntry, extra: { predecessor?: { before: AgreementRecord; after: AgreementRecord }; refund?: RefundRecord } = {}): AgreementPlan {
  const items: AgreementItem[] = [moved('agreement', before, after), audit('audit', after.id, entry)];
  if (holdsPlaces(before)) items.push(releasePlaces(after), ...releaseLocks(after));
  if (extra.predecessor) items.push(moved('predecessor', extra.predecessor.before, extra.predecessor.after));
  if (extra.refund) items.push(refundItem(extra.refund));
  items.push(...statusEffects([{ before, after }], entry.at));
  return { items };
}

// ---------------------------------------------------------------- unpaid expiry, cancellation

export type UnpaidEnd = 'unpaid' | 'cancelled_by_resident';

/**
 * pending_payment → cancelled: the hold ran out (`unpaid`), or the resident cancelled. A renewal
 * held no places: it only detaches from its predecessor. Undefined when it is no longer unpaid.
 */
export function planUnpaidEnd(a: AgreementRecord, predecessor: AgreementRecord | undefined, reason: UnpaidEnd, now: Date, by: Actor): Transition | undefined {
  if (a.status !== 'pending_payment') return undefined;
  const unpaid = reason === 'unpaid';
  const e = historyEntry(now, by, unpaid ? 'payment_expired' : 'cancelled', 'pending_payment', 'cancelled', unpaid ? '超时未支付' : '居民取消签约');
  const after = transitioned(a, { status: 'cancelled', endedAt: e.at, endReason: reason }, e);
  const linked = a.origin === 'renewal' && predecessor && predecessor.nextAgreementId === a.id ? predecessor : undefined;
  const pe = linked && historyEntry(now, by, 'renewal_cancelled', linked.status, linked.status, unpaid ? '续约未按时支付' : '居民取消续约');
  const plan = release(a, after, e, linked && pe ? { predecessor: { before: linked, after: transitioned(linked, { nextAgreementId: undefined }, pe) } } : {});
  return { after, plan };
}

// ---------------------------------------------------------------- termination

export interface TerminationInput {
  reason: TerminationReason;
  note?: string;
  /** The figure the resident saw in the preview: a different current figure is refused. */
  expectedRefundFen?: number;
}

export interface TerminationPreview extends AgreementRefund {
  allowed: boolean;
  requiresVerification: boolean;
  message: string;
}

/** GET /agreements/{id}/refund-preview: the refund if terminated now, and whether the policy allows it. */
export function terminationPreview(a: AgreementRecord, policy: RegionPolicy, reason: TerminationReason | undefined, delivered: DeliveredUnits[], today: LocalDate): TerminationPreview {
  const t = policy.termination;
  const check = reason ? canTerminateEarly(policy, reason) : { allowed: t.early === 'allowed' || t.allowedReasons.length > 0, requiresVerification: t.requiresVerification, message: t.text };
  const r = agreementRefund(a, delivered, today);
  const active = a.status === 'active';
  return { ...r, allowed: check.allowed && active, requiresVerification: check.requiresVerification, message: active ? check.message : '只有生效中的协议可以解约' };
}

export interface Termination extends Transition {
  /** The refund to send after the transaction (deterministic `T…` out_refund_no), with the order's total. */
  refund?: { record: RefundRecord; totalFen: number };
}

/** POST /agreements/{id}/terminate: places released and the refund recorded in one transaction (liyang-2019 §三(二)). */
export function planTermination(a: AgreementRecord, policy: RegionPolicy, input: TerminationInput, delivered: DeliveredUnits[], today: LocalDate, now: Date, by: Actor): Termination {
  assertAllowed(canTerminate(a, policy, input.reason));
  const r = agreementRefund(a, delivered, today);
  if (input.expectedRefundFen !== undefined && input.expectedRefundFen !== r.refundFen) {
    throw new ConflictError('REFUND_CHANGED', '退费金额已变化，请重新查看退费预览后确认', [{ path: 'expectedRefundFen', message: '退费金额已变化' }]);
  }
  const pay = a.payments[0];
  const record: RefundRecord | undefined =
    r.refundFen > 0 && pay
      ? { agreementId: a.id, outRefundNo: `T${outTradeNoOf(a.id)}`, outTradeNo: pay.outTradeNo, amountFen: r.refundFen, status: 'pending', reason: `解约退费：${TERMINATION_REASONS[input.reason]}`, at: now.toISOString() }
      : undefined;
  const e = historyEntry(now, by, 'terminated', 'active', 'terminated', `${TERMINATION_REASONS[input.reason]}${input.note ? `：${input.note}` : ''}`);
  const after = transitioned(a, { status: 'terminated', endedAt: e.at, endReason: input.reason }, e);
  return { after, plan: release(a, after, e, record ? { refund: record } : {}), ...(record && pay && { refund: { record, totalFen: pay.amountFen } }) };
}

// ---------------------------------------------------------------- cycle end

const DAILY_JOB: Actor = { kind: 'system', id: 'daily-job' };

/** A confirmed renewal (scheduled) takes over at the cycle end: the old one expires, the locks move, the counter stays. */
export function planHandOver(a: AgreementRecord, next: AgreementRecord, now: Date): Transition {
  const eOld = historyEntry(now, DAILY_JOB, 'expired', 'active', 'expired', '服务周期届满，续约协议生效');
  const eNew = historyEntry(now, DAILY_JOB, 'renewed', 'scheduled', 'active');
  const after = transitioned(a, { status: 'expired', endedAt: eOld.at, endReason: 'cycle_end' }, eOld);
  const successor = transitioned(next, { status: 'active', activatedAt: eNew.at }, eNew);
  const items: AgreementItem[] = [
    moved('agreement', a, after),
    moved('successor', next, successor),
    ...moveLocks(a, successor),
    audit('audit', a.id, eOld),
    audit('successorAudit', next.id, eNew),
    ...statusEffects([{ before: a, after }, { before: next, after: successor }], eNew.at),
  ];
  return { after, plan: { items } };
}

/** The cycle ended with no successor: the agreement expires and releases its places. */
export function planExpiry(a: AgreementRecord, reason: string | undefined, now: Date): Transition {
  const e = historyEntry(now, DAILY_JOB, 'expired', 'active', 'expired', reason ?? '服务周期届满');
  const after = transitioned(a, { status: 'expired', endedAt: e.at, endReason: 'cycle_end' }, e);
  return { after, plan: release(a, after, e) };
}
