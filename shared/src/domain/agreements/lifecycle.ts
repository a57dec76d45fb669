/**
 * Pure agreement lifecycle: the state machine, what an agreement records at signing (members,
 * packages with promised items, price per payer), unpaid expiry, the rule for a payment that
 * arrives late, what happens at the end of a cycle, and the refund on early termination.
 * No clock, no I/O: `today` / `now` are parameters. State machine: docs/signing.md.
 */
import { addMinutesIso, DEFAULT_UNPAID_HOLD_MINUTES } from './time';
import type { LocalDate } from '../dates';
import type { PersonFacts, Sex } from '../person';
import {
  promisedItems,
  promisedUnits,
  refund,
  renewalDecision,
  serviceCycle,
  type Cycle,
  type Quote,
  type RefundPackage,
  type RefundResult,
  type RegionPolicy,
  type RenewalDecision,
} from '../policy';
import { findPackage } from '../policy/registry';
import type { AgeGroup, AgreementMemberView, AgreementPackageView, AgreementStatus, PromisedItemView } from '../../schemas/agreements';

// State machine and what each agreement allows: ./state.ts.
export * from './state';

// ---------------------------------------------------------------- signing

export function ageGroupOf(age: number): AgeGroup {
  if (age <= 6) return 'child_0_6';
  if (age <= 17) return 'minor_7_17';
  if (age <= 64) return 'adult_18_64';
  return 'elderly_65';
}

export interface SigningPerson {
  memberId: string;
  name: string;
  relation: string;
  idNumberMasked: string;
  idHash: string;
  sex: Sex;
  facts: PersonFacts;
}

export interface AgreementMemberDraft extends Omit<AgreementMemberView, 'byPayer'> {
  idHash: string;
  byPayer: Record<string, number>;
}

export interface AgreementDraft {
  members: AgreementMemberDraft[];
  signingKind: 'free' | 'paid';
  totalFen: number;
  byPayer: Quote['byPayer'];
  byPayerGroup: Quote['byPayerGroup'];
  residentDueFen: number;
  cycle: Cycle;
  /** pending_payment when the resident owes money, otherwise active. */
  status: 'pending_payment' | 'active';
}

function itemView(it: ReturnType<typeof promisedItems>[number]): PromisedItemView {
  return {
    code: it.code,
    name: it.name,
    kind: it.kind,
    quantity: it.quantity,
    per: it.per,
    bound: it.bound,
    unit: it.unit,
    promisedUnits: promisedUnits(it),
    includedFromBasic: it.includedFromBasic ?? null,
    unitValueFen: it.unitValueFen ?? null,
    frequencyText: it.frequencyText,
  };
}

/** A member is on a paid (有偿) agreement when a non-basic package of theirs carries a fee. */
export function memberSigningKind(m: Quote['members'][number]): 'free' | 'paid' {
  if (m.signingKind) return m.signingKind;
  return m.lines.some((l) => l.category !== 'basic' && l.priceFen > 0) ? 'paid' : 'free';
}

/**
 * What an agreement records, from a signable quote (assertQuoteOk first): per member the
 * packages with their price split and the items promised to THAT person (promisedItems), the
 * totals per payer, what the resident pays, the cycle (serviceCycle) and the first status.
 */
export function draftAgreement(input: {
  policy: RegionPolicy;
  quote: Quote;
  people: SigningPerson[];
  today: LocalDate;
  /** Renewal: the cycle follows the previous one. */
  renewal?: { previousEnd: LocalDate; termYears?: number };
}): AgreementDraft {
  const { policy, quote: q, today } = input;
  const byId = new Map(input.people.map((p) => [p.memberId, p]));
  const members = q.members.map((mq): AgreementMemberDraft => {
    const person = byId.get(mq.memberId);
    if (!person) throw new Error(`no person for member ${mq.memberId}`);
    const packages = mq.lines.map((l): AgreementPackageView => {
      const pkg = findPackage(policy, l.packageCode);
      return {
        code: l.packageCode,
        name: l.packageName,
        category: l.category,
        priceFen: l.priceFen,
        byPayer: l.byPayer,
        shares: l.shares,
        autoIncluded: l.autoIncluded,
        notes: l.notes,
        items: pkg ? promisedItems(pkg, person.facts, today).map(itemView) : [],
      };
    });
    return {
      memberId: person.memberId,
      name: person.name,
      relation: person.relation,
      idNumberMasked: person.idNumberMasked,
      idHash: person.idHash,
      sex: person.sex,
      ageGroup: ageGroupOf(mq.age),
      signingKind: memberSigningKind(mq),
      packages,
      byPayer: mq.byPayer,
      totalFen: mq.totalFen,
    };
  });
  const signingKind = members.some((m) => m.signingKind === 'paid') ? 'paid' : 'free';
  const residentDueFen = q.byPayer.resident;
  const packageCodes = [...new Set(members.flatMap((m) => m.packages.map((p) => p.code)))];
  const cycle = input.renewal
    ? serviceCycle(policy, { kind: signingKind, signedOn: today, isRenewal: true, previousEnd: input.renewal.previousEnd, packageCodes, ...(input.renewal.termYears !== undefined && { termYears: input.renewal.termYears }) })
    : serviceCycle(policy, { kind: signingKind, signedOn: today, paidOn: today, packageCodes });
  return {
    members,
    signingKind,
    totalFen: q.totalFen,
    byPayer: q.byPayer,
    byPayerGroup: q.byPayerGroup,
    residentDueFen,
    cycle,
    status: residentDueFen > 0 ? 'pending_payment' : 'active',
  };
}

/**
 * yongkang 问答05: a paid cycle starts on the day of paying. A first agreement signed one day and
 * paid the next (across midnight) gets its cycle recomputed at activation; other rules keep it.
 */
export function cycleOnActivation(policy: RegionPolicy, a: { signingKind: 'free' | 'paid'; cycleStart: LocalDate; cycleEnd: LocalDate; createdOn: LocalDate; renewal: boolean; packageCodes: string[] }, paidOn: LocalDate): Cycle {
  if (a.renewal || policy.cycle.kind !== 'from_signing' || !policy.cycle.paidStartsOnPayment || a.signingKind !== 'paid') {
    return { start: a.cycleStart, end: a.cycleEnd };
  }
  return serviceCycle(policy, { kind: 'paid', signedOn: a.createdOn, paidOn, packageCodes: a.packageCodes });
}

// ---------------------------------------------------------------- unpaid expiry

export { DEFAULT_UNPAID_HOLD_MINUTES };

export function pendingExpiresAt(createdAt: string, holdMinutes: number = DEFAULT_UNPAID_HOLD_MINUTES): string {
  return addMinutesIso(createdAt, holdMinutes);
}

export function isUnpaidExpired(a: { status: AgreementStatus; pendingExpiresAt?: string }, now: Date): boolean {
  return a.status === 'pending_payment' && !!a.pendingExpiresAt && Date.parse(a.pendingExpiresAt) <= now.getTime();
}

// ---------------------------------------------------------------- payment notifications

export type PaymentOutcome =
  /** pending_payment → active (the normal case). */
  | 'activate'
  /** Cancelled as unpaid: re-activate if every place is still free (one transaction), else refund. */
  | 'reactivate_or_refund'
  /** The money cannot be used for this agreement (ended, changed, wrong amount): record and refund. */
  | 'refund'
  /** This order is already paid and applied: change nothing. */
  | 'duplicate'
  /** Not a success (NOTPAY, CLOSED …): record on the payment only. */
  | 'record_only';

/**
 * What a verified payment notification does (docs/signing.md "Payments"). Conditional on the
 * agreement's status at the time of the write, so a race with the expiry job is decided by the
 * database: whichever transition commits first wins, the other re-reads and lands here again.
 */
export function paymentOutcome(input: {
  tradeState: string;
  amountFen: number;
  paymentStatus: 'created' | 'paid' | 'refund_pending' | 'refunded' | 'closed';
  agreement: { status: AgreementStatus; residentDueFen: number; endReason?: string };
}): PaymentOutcome {
  if (input.tradeState !== 'SUCCESS') return 'record_only';
  if (input.paymentStatus !== 'created' && input.paymentStatus !== 'closed') return 'duplicate';
  if (input.amountFen !== input.agreement.residentDueFen) return 'refund';
  const s = input.agreement.status;
  if (s === 'pending_payment') return 'activate';
  if (s === 'cancelled' && input.agreement.endReason === 'unpaid') return 'reactivate_or_refund';
  return 'refund';
}

// ---------------------------------------------------------------- cycle end

export type CycleEndAction =
  | { kind: 'none' }
  /** A confirmed renewal (scheduled) takes over the places. */
  | { kind: 'hand_over'; nextAgreementId: string }
  /** A new free agreement for the next cycle (auto renewal or fall-back to free basic service). */
  | { kind: 'renew_free'; decision: RenewalDecision; basicOnly: boolean }
  | { kind: 'expire'; decision: RenewalDecision | null };

/**
 * At the end of an active agreement's cycle (daily job): hand over to a confirmed renewal, or let
 * the region's renewal rule decide (renewalDecision): free agreements auto-renew where the policy
 * says so; a paid agreement not renewed falls back to free basic service where it says so.
 */
export function cycleEndAction(
  a: { status: AgreementStatus; signingKind: 'free' | 'paid'; cycleStart: LocalDate; cycleEnd: LocalDate; nextAgreementId?: string },
  next: { status: AgreementStatus } | undefined,
  policy: RegionPolicy,
  today: LocalDate,
): CycleEndAction {
  if (a.status !== 'active' || today <= a.cycleEnd) return { kind: 'none' };
  if (a.nextAgreementId && next?.status === 'scheduled') return { kind: 'hand_over', nextAgreementId: a.nextAgreementId };
  const decision = renewalDecision({ kind: a.signingKind, cycle: { start: a.cycleStart, end: a.cycleEnd } }, policy, today);
  if (decision.action === 'auto_renew') return { kind: 'renew_free', decision, basicOnly: false };
  if (decision.action === 'fall_back_to_free') return { kind: 'renew_free', decision, basicOnly: true };
  return { kind: 'expire', decision };
}

// ---------------------------------------------------------------- refunds

export interface DeliveredUnits {
  memberId: string;
  packageCode: string;
  itemCode: string;
  quantity: number;
}

export interface AgreementRefund {
  refundFen: number;
  residentPaidFen: number;
  members: { memberId: string; name: string; residentPaidFen: number; refundFen: number; packages: RefundResult['packages'] }[];
  notes: string[];
}

/** The refund view of a signed package: promised units per item (counts only) and the resident's share. */
export function refundPackageOfSigned(p: AgreementPackageView): RefundPackage {
  return {
    code: p.code,
    priceFen: p.priceFen,
    residentShareFen: p.byPayer.resident ?? 0,
    items: p.items
      .filter((it) => it.promisedUnits > 0)
      .map((it) => ({
        code: it.code,
        promisedQuantity: it.promisedUnits,
        ...(it.includedFromBasic !== null && { includedFromBasic: it.includedFromBasic }),
        ...(it.unitValueFen !== null && { unitValueFen: it.unitValueFen }),
      })),
  };
}

/**
 * liyang-2019 §三(二): the prepaid resident fee minus the value of services delivered, per member
 * with the policy engine's refund(); nothing when the resident paid nothing. Deliveries of items
 * that carry no promised number (on demand, ongoing) do not reduce the refund.
 */
export function agreementRefund(
  a: { paidFen: number; cycleEnd: LocalDate; members: Pick<AgreementMemberDraft, 'memberId' | 'name' | 'packages' | 'byPayer'>[] },
  delivered: DeliveredUnits[],
  today: LocalDate,
): AgreementRefund {
  const notes = new Set<string>();
  let remainingPaid = a.paidFen;
  const members = a.members.map((m) => {
    const share = m.byPayer.resident ?? 0;
    const residentPaidFen = Math.min(share, Math.max(0, remainingPaid));
    remainingPaid -= residentPaidFen;
    if (residentPaidFen === 0) return { memberId: m.memberId, name: m.name, residentPaidFen: 0, refundFen: 0, packages: [] };
    const packages = m.packages.map(refundPackageOfSigned);
    const known = new Set(packages.flatMap((p) => p.items.map((it) => `${p.code}\u0000${it.code}`)));
    const mine = delivered
      .filter((d) => d.memberId === m.memberId && known.has(`${d.packageCode}\u0000${d.itemCode}`))
      .map((d) => ({ itemCode: d.itemCode, quantity: d.quantity, packageCode: d.packageCode }));
    const r = refund({ residentPaidFen, packages, delivered: mine, cycleEnd: a.cycleEnd }, today);
    r.notes.forEach((n) => notes.add(n));
    return { memberId: m.memberId, name: m.name, residentPaidFen, refundFen: r.refundFen, packages: r.packages };
  });
  if (a.paidFen === 0) notes.add('本协议居民个人未缴费，无需退费');
  return {
    refundFen: members.reduce((s, m) => s + m.refundFen, 0),
    residentPaidFen: members.reduce((s, m) => s + m.residentPaidFen, 0),
    members,
    notes: [...notes],
  };
}

// ---------------------------------------------------------------- misc

/** Index shard of an agreement id (FNV-1a 32-bit), fixed at creation. */
export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

/** WeChat Pay `out_trade_no` of an agreement's order: the id without dashes (32 characters). */
export function outTradeNoOf(agreementId: string): string {
  return agreementId.replace(/-/g, '');
}

/** The agreement id of one of our `out_trade_no`s (UUID layout restored), or undefined. */
export function agreementIdOfOutTradeNo(outTradeNo: string): string | undefined {
  const m = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(outTradeNo);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}` : undefined;
}

/** Fund shares to collect from payers other than the resident (reconciliation). */
export function receivableFen(byPayer: Record<string, number>): number {
  return Object.entries(byPayer).reduce((s, [p, v]) => (p === 'resident' ? s : s + v), 0);
}
