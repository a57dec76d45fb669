/**
 * The agreement as stored (docs/table-design.md "Agreements") and the ONE builder of a new
 * agreement record, used by signing, renewal, change of team and the free successor at a cycle
 * end. Payments, refunds and receivables beside it. Pure: ids and instants are parameters.
 */
import { localDateOf, type LocalDate } from '../dates';
import type { Payer, RegionPolicy } from '../policy';
import type { AgreementMemberView, AgreementStatus, HistoryAction, PaymentStatus } from '../../schemas/agreements';
import { outTradeNoOf, pendingExpiresAt, receivableFen, shardOf, type AgreementDraft } from './lifecycle';
import { monthOf } from './time';

/** Shards of the agreement indexes (`AGR#ACTIVE#<regionId>#<0..15>`, `AGR#PENDING#<0..15>`): no hot partition at 2.2M residents. */
export const AGREEMENT_SHARDS = 16;

export type PayerAmounts = Record<Payer, number>;

/**
 * A signed member as the agreement keeps them: the view's fields (masked ID number, sex, coarse age
 * group — no birth date: with the masked number it would be the whole number; packages with the
 * price per payer and the promised items, which fulfilment is measured against) plus `idHash`,
 * the HMAC of the ID number and the key of the person's sign lock — never in a response or a log.
 */
export type AgreementMemberRecord = Omit<AgreementMemberView, 'byPayer'> & { idHash: string; byPayer: PayerAmounts };

/** Who moved an agreement: the resident, a staff member, a scheduled job or a payment. */
export interface Actor {
  kind: 'resident' | 'staff' | 'system' | 'payment';
  id: string;
}

export interface HistoryEntry {
  at: string;
  by: Actor;
  action: HistoryAction;
  from: AgreementStatus | null;
  to: AgreementStatus | null;
  reason: string | null;
}

export interface PaymentRef {
  /** The agreement whose partition holds the payment item (a change of team keeps the original's). */
  agreementId: string;
  outTradeNo: string;
  amountFen: number;
}

/** How the agreement came about. */
export type AgreementOrigin = 'signed' | 'renewal' | 'auto_renewal' | 'fall_back' | 'team_change';

export interface AgreementRecord {
  id: string;
  /** The household representative's account (甲方代表). */
  accountId: string;
  representativeName: string;
  teamId: string;
  teamName: string;
  institutionId: string;
  institutionName: string;
  regionId: string;
  policyVersion: string;
  signingKind: 'free' | 'paid';
  status: AgreementStatus;
  cycleStart: LocalDate;
  cycleEnd: LocalDate;
  members: AgreementMemberRecord[];
  totalFen: number;
  byPayer: PayerAmounts;
  byPayerGroup: Record<string, number>;
  /** What the resident pays through WeChat Pay. */
  residentDueFen: number;
  consent: { agreementTextVersion: string; at: string };
  idempotencyKey: string;
  createdAt: string;
  updatedAt: string;
  /** ISO instant until which an unpaid agreement holds its places. */
  pendingExpiresAt?: string;
  activatedAt?: string;
  paidAt?: string;
  endedAt?: string;
  /** Resident fee actually collected for this agreement (fen), and refunded. */
  paidFen: number;
  refundedFen: number;
  payments: PaymentRef[];
  history: HistoryEntry[];
  /** Renewal: the agreement this one continues / the one that continues it. Change of team too. */
  previousAgreementId?: string;
  nextAgreementId?: string;
  origin: AgreementOrigin;
  /** Why the agreement ended early (termination reason code, 'unpaid', 'cancelled_by_resident', 'team_changed', 'cycle_end'). */
  endReason?: string;
  /** Index shard (0..AGREEMENT_SHARDS-1), fixed at creation. */
  shard: number;
  /** Optimistic-concurrency counter, bumped by every transition. */
  version: number;
}

export interface PaymentRecord {
  agreementId: string;
  outTradeNo: string;
  amountFen: number;
  status: PaymentStatus;
  prepayId?: string;
  transactionId?: string;
  paidAt?: string;
  refundedFen: number;
  /** WeChat notification ids already applied (dedupe), newest last, bounded. */
  eventIds: string[];
  history: { at: string; status: string; note?: string }[];
  createdAt: string;
}

export interface RefundRecord {
  agreementId: string;
  outRefundNo: string;
  outTradeNo: string;
  amountFen: number;
  status: string;
  refundId?: string;
  reason: string;
  at: string;
}

/** Fund shares of an agreement, per institution per month of activation (reconciliation). */
export interface ReceivableRecord {
  institutionId: string;
  month: string;
  agreementId: string;
  teamId: string;
  activatedAt: string;
  memberCount: number;
  byPayer: PayerAmounts;
  byPayerGroup: Record<string, number>;
  residentPaidFen: number;
  receivableFen: number;
}

// ---------------------------------------------------------------- history and transitions

export function historyEntry(now: Date, by: Actor, action: HistoryAction, from: AgreementStatus | null, to: AgreementStatus | null, reason: string | null = null): HistoryEntry {
  return { at: now.toISOString(), by, action, from, to, reason };
}

/** The next version of `a` after a transition (history appended, version bumped). */
export function transitioned(a: AgreementRecord, changes: Partial<AgreementRecord>, entry: HistoryEntry): AgreementRecord {
  return { ...a, ...changes, history: [...a.history, entry], version: a.version + 1, updatedAt: entry.at };
}

// ---------------------------------------------------------------- the one builder

/** The team an agreement is signed with, as the agreement records it. */
export interface TeamRef {
  id: string;
  name: string;
  institutionId: string;
  institutionName: string;
}

/** What an agreement promises and costs: from a draft (sign, renew, free successor) or carried over (change of team). */
export type AgreementTerms = Pick<
  AgreementRecord,
  'regionId' | 'policyVersion' | 'signingKind' | 'cycleStart' | 'cycleEnd' | 'members' | 'totalFen' | 'byPayer' | 'byPayerGroup' | 'residentDueFen'
>;

/** Money already collected for these terms (a change of team keeps the payment of the original). */
export type AgreementMoney = Pick<AgreementRecord, 'paidFen' | 'refundedFen' | 'payments' | 'paidAt'>;

const NO_MONEY: AgreementMoney = { paidFen: 0, refundedFen: 0, payments: [] };

export interface NewAgreement {
  id: string;
  accountId: string;
  representativeName: string;
  team: TeamRef;
  terms: AgreementTerms;
  status: AgreementStatus;
  origin: AgreementOrigin;
  consent: AgreementRecord['consent'];
  idempotencyKey: string;
  /** The first history entry: its instant is the creation instant. */
  first: HistoryEntry;
  /** How long an unpaid agreement holds its places (minutes); used when the status is pending_payment. */
  holdMinutes: number;
  previousAgreementId?: string;
  money?: AgreementMoney;
}

/**
 * A new agreement record. An unpaid one holds its places until `pendingExpiresAt`; any other
 * status counts as activated at creation (a scheduled renewal: confirmed, waiting for its cycle).
 */
export function agreementRecord(n: NewAgreement): AgreementRecord {
  const at = n.first.at;
  const unpaid = n.status === 'pending_payment';
  return {
    id: n.id,
    accountId: n.accountId,
    representativeName: n.representativeName,
    teamId: n.team.id,
    teamName: n.team.name,
    institutionId: n.team.institutionId,
    institutionName: n.team.institutionName,
    ...n.terms,
    status: n.status,
    consent: n.consent,
    idempotencyKey: n.idempotencyKey,
    createdAt: at,
    updatedAt: at,
    ...(unpaid ? { pendingExpiresAt: pendingExpiresAt(at, n.holdMinutes) } : { activatedAt: at }),
    ...(n.money ?? NO_MONEY),
    history: [n.first],
    ...(n.previousAgreementId && { previousAgreementId: n.previousAgreementId }),
    origin: n.origin,
    shard: shardOf(n.id, AGREEMENT_SHARDS),
    version: 1,
  };
}

/** The terms a draft sets under `policy` (sign, renewal, free successor). */
export function termsOfDraft(policy: Pick<RegionPolicy, 'regionId' | 'version'>, d: AgreementDraft): AgreementTerms {
  return {
    regionId: policy.regionId,
    policyVersion: policy.version,
    signingKind: d.signingKind,
    cycleStart: d.cycle.start,
    cycleEnd: d.cycle.end,
    members: d.members as AgreementMemberRecord[],
    totalFen: d.totalFen,
    byPayer: d.byPayer,
    byPayerGroup: d.byPayerGroup,
    residentDueFen: d.residentDueFen,
  };
}

/** The terms of an existing agreement (a change of team moves them unchanged). */
export function termsOf(a: AgreementRecord): AgreementTerms {
  const { regionId, policyVersion, signingKind, cycleStart, cycleEnd, members, totalFen, byPayer, byPayerGroup, residentDueFen } = a;
  return { regionId, policyVersion, signingKind, cycleStart, cycleEnd, members, totalFen, byPayer, byPayerGroup, residentDueFen };
}

export function teamRefOf(a: AgreementRecord): TeamRef {
  return { id: a.teamId, name: a.teamName, institutionId: a.institutionId, institutionName: a.institutionName };
}

export function packageCodesOf(a: Pick<AgreementRecord, 'members'>): string[] {
  return [...new Set(a.members.flatMap((m) => m.packages.map((p) => p.code)))];
}

// ---------------------------------------------------------------- payments and receivables

/** The order of an agreement for what the resident owes, before anything is paid. */
export function newPayment(a: Pick<AgreementRecord, 'id' | 'residentDueFen'>, at: string): PaymentRecord {
  return {
    agreementId: a.id,
    outTradeNo: outTradeNoOf(a.id),
    amountFen: a.residentDueFen,
    status: 'created',
    refundedFen: 0,
    eventIds: [],
    history: [{ at, status: 'created' }],
    createdAt: at,
  };
}

/** The fund shares to collect for an agreement, booked in the Asia/Shanghai month it took effect. */
export function receivableOf(a: AgreementRecord, activatedAt: string): ReceivableRecord {
  return {
    institutionId: a.institutionId,
    month: monthOf(localDateOf(activatedAt)),
    agreementId: a.id,
    teamId: a.teamId,
    activatedAt,
    memberCount: a.members.length,
    byPayer: a.byPayer,
    byPayerGroup: a.byPayerGroup,
    residentPaidFen: a.paidFen,
    receivableFen: receivableFen(a.byPayer),
  };
}
