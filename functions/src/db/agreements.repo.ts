/**
 * Family-doctor agreements (GitHub issue 5). docs/table-design.md "Agreements" lists the items and
 * the functions other features call:
 *
 *   getAgreement(id)                          one GetItem (strongly consistent)
 *   listAgreementsForAccount(accountId)       gsi1, oldest first
 *   activeAgreementForMember(accountId, memberId, today?)
 *                                             the member's current active agreement or undefined
 *   listActiveAgreementsPage({ regionId, shard, cursor, limit })
 *                                             gsi3 sparse, sharded: streams active agreements
 *   listAgreementsForTeam(teamId, { status?, cursor, limit })
 *                                             gsi2, by status then creation
 *
 * Invariants that span items (one current agreement per person, team capacity, one agreement per
 * idempotency key) are enforced by the conditions of ONE TransactWriteItems per transition
 * (agreements.tx.ts), never by read-then-write code.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import type { Payer } from '@jiayi/shared/domain/policy';
import type { Sex } from '@jiayi/shared/domain/person';
import type { AgeGroup, AgreementPackageView, AgreementStatus, HistoryAction, PaymentStatus } from '@jiayi/shared/schemas/agreements';
import { ValidationError } from '@jiayi/shared/domain/errors';
import { db, tableName } from './client';
import { queryAll } from './query';
import { keys } from './keys';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { policyVersion, type RegionPolicy } from '@jiayi/shared/domain/policy';
import { signingDelta } from '@jiayi/shared/domain/fulfilment/report';
import { counterAdd } from './reports.repo';
import type { TxItem } from './transact';

/** Shards of the active-agreements index (`AGR#ACTIVE#<regionId>#<0..15>`): no hot partition at 2.2M residents. */
export const ACTIVE_SHARDS = 16;

export type PayerAmounts = Record<Payer, number>;

export interface AgreementMemberRecord {
  memberId: string;
  name: string;
  relation: string;
  idNumberMasked: string;
  /** HMAC of the ID number: the key of the person's sign lock. Never in a response or a log. */
  idHash: string;
  sex: Sex;
  /** Coarse age group at signing (no birth date: with the masked number it would be the whole number). */
  ageGroup: AgeGroup;
  signingKind: 'free' | 'paid';
  /** Packages with the price per payer and the promised items with quantities (fulfilment is measured against them). */
  packages: AgreementPackageView[];
  byPayer: PayerAmounts;
  totalFen: number;
}

export interface HistoryEntry {
  at: string;
  by: { kind: 'resident' | 'staff' | 'system' | 'payment'; id: string };
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
  /** Why the agreement ended early (termination reason code, 'unpaid', 'team_changed'). */
  endReason?: string;
  /** Index shard (0..ACTIVE_SHARDS-1), fixed at creation. */
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

/** The WeChat openid of an account (the payer of its agreements), or undefined. */
export async function accountOpenid(accountId: string): Promise<string | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.account(accountId), ProjectionExpression: 'openid' }));
  return typeof r.Item?.openid === 'string' ? r.Item.openid : undefined;
}

/** The agreement id an idempotency key of an account points at (fast replay path), or undefined. */
export async function idempotentAgreementId(accountId: string, key: string): Promise<{ agreementId: string; requestHash: string } | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.signIdempotency(accountId, key), ConsistentRead: true }));
  return r.Item ? { agreementId: String(r.Item.agreementId), requestHash: String(r.Item.requestHash) } : undefined;
}

export interface AgreementPartition {
  agreement: AgreementRecord;
  payments: PaymentRecord[];
  refunds: RefundRecord[];
}

export function agreementFromItem(item: Record<string, unknown>): AgreementRecord {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, gsi3pk: _e, gsi3sk: _f, ...rest } = item;
  return rest as unknown as AgreementRecord;
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
}

/** One agreement (consistent read), or undefined. */
export async function getAgreement(id: string): Promise<AgreementRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.agreement(id), ConsistentRead: true }));
  return r.Item ? agreementFromItem(r.Item) : undefined;
}

/** The agreement with its payments and refunds (one consistent Query of `AGR#<id>`, fulfilment entries skipped). */
export async function loadAgreementPartition(id: string): Promise<AgreementPartition | undefined> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :z',
        // 'AGR' < 'AUDIT#' < 'PAY#' < 'REFUND#' < 'SVC#': one range without the ledger.
        ExpressionAttributeValues: { ':p': keys.agreement(id).pk, ':a': 'AGR', ':z': 'REFUND$' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  const main = items.find((i) => i.sk === 'AGR');
  if (!main) return undefined;
  return {
    agreement: agreementFromItem(main),
    payments: items.filter((i) => String(i.sk).startsWith('PAY#')).map((i) => strip<PaymentRecord>(i)),
    refunds: items.filter((i) => String(i.sk).startsWith('REFUND#')).map((i) => strip<RefundRecord>(i)),
  };
}

export async function getPayment(agreementId: string, outTradeNo: string): Promise<PaymentRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.payment(agreementId, outTradeNo), ConsistentRead: true }));
  return r.Item ? strip<PaymentRecord>(r.Item) : undefined;
}

/** Every agreement of a household account (representative), oldest first. The index is eventually consistent. */
export async function listAgreementsForAccount(accountId: string): Promise<AgreementRecord[]> {
  const out: AgreementRecord[] = (
    await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.agreementByAccount(accountId, '', '').gsi1pk },
    })
  ).map(agreementFromItem);
  return out;
}

/**
 * The member's current active agreement, or undefined. "Current": status active and, when `today`
 * is given, not past its cycle end (an agreement the daily job has not yet expired is treated as
 * ended). Its cycle may start later (liyang Q4 signing for the next calendar year): check
 * `cycleStart <= today` where a feature needs the cycle to have begun. Renewals that have not
 * taken over yet (status scheduled) are not returned.
 */
export async function activeAgreementForMember(accountId: string, memberId: string, today?: LocalDate): Promise<AgreementRecord | undefined> {
  const all = await listAgreementsForAccount(accountId);
  const candidates = all.filter((a) => a.status === 'active' && a.members.some((m) => m.memberId === memberId) && (!today || a.cycleEnd >= today));
  if (candidates.length === 0) return undefined;
  // The index can lag a transition by a moment: confirm with a consistent read.
  for (const c of candidates.sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    const fresh = await getAgreement(c.id);
    if (fresh && fresh.status === 'active' && (!today || fresh.cycleEnd >= today)) return fresh;
  }
  return undefined;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  cursor?: string;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined, path = 'cursor'): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw new Error('shape');
    return v as Record<string, unknown>;
  } catch {
    throw new ValidationError({ path, message: '分页参数有误，请从第一页重新查询' });
  }
}

/**
 * One page of the active agreements of a region shard, ordered by cycle end. Stream a region by
 * looping shard 0..ACTIVE_SHARDS-1 and following `cursor` until it is absent. Optionally only
 * those whose cycle ends on or before `cycleEndTo` (the daily renewal job).
 */
export async function listActiveAgreementsPage(opts: {
  regionId: string;
  shard: number;
  cursor?: string;
  limit?: number;
  cycleEndTo?: LocalDate;
}): Promise<Page<AgreementRecord>> {
  if (!Number.isInteger(opts.shard) || opts.shard < 0 || opts.shard >= ACTIVE_SHARDS) throw new RangeError(`shard must be 0..${ACTIVE_SHARDS - 1}`);
  const pk = keys.agreementActive(opts.regionId, opts.shard, '', '').gsi3pk;
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: opts.cycleEndTo ? 'gsi3pk = :p AND gsi3sk < :to' : 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': pk, ...(opts.cycleEndTo ? { ':to': `${opts.cycleEndTo}#~` } : {}) },
      Limit: opts.limit ?? 100,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  return { items: (r.Items ?? []).map(agreementFromItem), cursor: encodeCursor(r.LastEvaluatedKey) };
}

/** A page of a team's agreements, optionally of one status; ordered by status, then creation. */
export async function listAgreementsForTeam(teamId: string, opts: { status?: AgreementStatus; cursor?: string; limit?: number } = {}): Promise<Page<AgreementRecord>> {
  const pk = keys.agreementByTeam(teamId, '', '', '').gsi2pk;
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: opts.status ? 'gsi2pk = :p AND begins_with(gsi2sk, :s)' : 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': pk, ...(opts.status ? { ':s': `${opts.status}#` } : {}) },
      Limit: opts.limit ?? 50,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  return { items: (r.Items ?? []).map(agreementFromItem), cursor: encodeCursor(r.LastEvaluatedKey) };
}

/** Unpaid agreements whose hold ended before `before` (one shard page; the expiry job loops shards). */
export async function listPendingExpiredPage(opts: { shard: number; before: Date; cursor?: string; limit?: number }): Promise<Page<AgreementRecord>> {
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk < :t',
      ExpressionAttributeValues: { ':p': keys.agreementPending(opts.shard, '', '').gsi3pk, ':t': opts.before.toISOString() },
      Limit: opts.limit ?? 100,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  return { items: (r.Items ?? []).map(agreementFromItem), cursor: encodeCursor(r.LastEvaluatedKey) };
}

/** Confirmed renewals (status scheduled) of a shard whose cycle starts on or before `startTo`. */
export async function listScheduledPage(opts: { shard: number; startTo: LocalDate; cursor?: string; limit?: number }): Promise<Page<AgreementRecord>> {
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk < :t',
      ExpressionAttributeValues: { ':p': keys.agreementScheduled(opts.shard, '', '').gsi3pk, ':t': `${opts.startTo}#~` },
      Limit: opts.limit ?? 100,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  return { items: (r.Items ?? []).map(agreementFromItem), cursor: encodeCursor(r.LastEvaluatedKey) };
}

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

/** Receivables of an institution for a month (`INST#<id>#RECV#<yyyy-mm>`). */
export async function listReceivables(institutionId: string, month: string): Promise<ReceivableRecord[]> {
  const out: ReceivableRecord[] = (
    await queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.receivable(institutionId, month, '').pk },
    })
  ).map((i) => strip<ReceivableRecord>(i));
  return out;
}

// ------------------------------------------------------------------------------------------
// Report counters (issue 8, clinic console; docs/reports.md). For the signing transactions:
// include these items in every TransactWriteItems that moves an agreement into or out of
// `active` (sign free, activation on payment, reactivation, hand-over, termination, expiry,
// change of team — once per agreement whose status changes). They ADD to the institution's
// SIGN counter of the event's month; nothing when the transition does not cross `active`.

/**
 * Counter updates for one agreement transition (`before` undefined for a new agreement). The
 * month is the Asia/Shanghai month of `at` (the transition instant); the counter is the team's
 * of the agreement (a change of team ends at the old team and starts at the new one).
 */
export function agreementReportCounters(before: AgreementRecord | undefined, after: AgreementRecord, at: string): TxItem[] {
  let policy: RegionPolicy | undefined;
  try {
    policy = policyVersion(after.regionId, after.policyVersion);
  } catch {
    policy = undefined;
  }
  const delta = signingDelta(before, after, policy);
  const add = counterAdd(after.institutionId, 'SIGN', localDateOf(at).slice(0, 7), after.teamId, delta);
  return add ? [add] : [];
}
