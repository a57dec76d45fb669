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
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import { AGREEMENT_SHARDS, type AgreementRecord, type PaymentRecord, type ReceivableRecord, type RefundRecord } from '@jiayi/shared/domain/agreements/record';
import type { AgreementStatus } from '@jiayi/shared/schemas/agreements';
import { db, tableName } from './client';
import { queryAll, queryItems, queryPage, type Page } from './query';
import { keys } from './keys';

export type {
  Actor,
  AgreementMemberRecord,
  AgreementOrigin,
  AgreementRecord,
  HistoryEntry,
  PayerAmounts,
  PaymentRecord,
  PaymentRef,
  ReceivableRecord,
  RefundRecord,
} from '@jiayi/shared/domain/agreements/record';
export type { Page } from './query';

/** Shards of the active-agreements index (`AGR#ACTIVE#<regionId>#<0..15>`): no hot partition at 2.2M residents. */
export const ACTIVE_SHARDS = AGREEMENT_SHARDS;

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
  const items = await queryAll({
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :z',
    // 'AGR' < 'AUDIT#' < 'PAY#' < 'REFUND#' < 'SVC#': one range without the ledger.
    ExpressionAttributeValues: { ':p': keys.agreement(id).pk, ':a': 'AGR', ':z': 'REFUND$' },
    ConsistentRead: true,
  });
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

function activeQuery(regionId: string, shard: number, cycleEndTo?: LocalDate) {
  if (!Number.isInteger(shard) || shard < 0 || shard >= ACTIVE_SHARDS) throw new RangeError(`shard must be 0..${ACTIVE_SHARDS - 1}`);
  return {
    IndexName: 'gsi3',
    KeyConditionExpression: cycleEndTo ? 'gsi3pk = :p AND gsi3sk < :to' : 'gsi3pk = :p',
    ExpressionAttributeValues: { ':p': keys.agreementActive(regionId, shard, '', '').gsi3pk, ...(cycleEndTo ? { ':to': `${cycleEndTo}#~` } : {}) },
  };
}

/**
 * One page of the active agreements of a region shard, ordered by cycle end. Stream a region by
 * looping shard 0..ACTIVE_SHARDS-1 and following `cursor` until it is absent.
 */
export async function listActiveAgreementsPage(opts: { regionId: string; shard: number; cursor?: string; limit?: number; cycleEndTo?: LocalDate }): Promise<Page<AgreementRecord>> {
  return queryPage({ ...activeQuery(opts.regionId, opts.shard, opts.cycleEndTo), Limit: opts.limit ?? 100 }, opts.cursor, agreementFromItem);
}

/** The active agreements of a region shard whose cycle ends before `cycleEndTo`'s next day (the daily job), page by page. */
export async function* activeAgreementsEndingBy(regionId: string, shard: number, cycleEndTo: LocalDate): AsyncGenerator<AgreementRecord> {
  for await (const item of queryItems({ ...activeQuery(regionId, shard, cycleEndTo), Limit: 100 })) yield agreementFromItem(item);
}

/** A page of a team's agreements, optionally of one status; ordered by status, then creation. */
export async function listAgreementsForTeam(teamId: string, opts: { status?: AgreementStatus; cursor?: string; limit?: number } = {}): Promise<Page<AgreementRecord>> {
  const input = {
    IndexName: 'gsi2',
    KeyConditionExpression: opts.status ? 'gsi2pk = :p AND begins_with(gsi2sk, :s)' : 'gsi2pk = :p',
    ExpressionAttributeValues: { ':p': keys.agreementByTeam(teamId, '', '', '').gsi2pk, ...(opts.status ? { ':s': `${opts.status}#` } : {}) },
    Limit: opts.limit ?? 50,
  };
  return queryPage(input, opts.cursor, agreementFromItem);
}

/** Unpaid agreements of a shard whose hold ended before `before` (the expiry job), page by page. */
export async function* pendingExpiredBy(shard: number, before: Date): AsyncGenerator<AgreementRecord> {
  const input = {
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :p AND gsi3sk < :t',
    ExpressionAttributeValues: { ':p': keys.agreementPending(shard, '', '').gsi3pk, ':t': before.toISOString() },
    Limit: 100,
  };
  for await (const item of queryItems(input)) yield agreementFromItem(item);
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
