/**
 * Report counters, the population register, complaints and ratings (issue 8; docs/reports.md).
 *
 * Counters live in one small partition per institution, `RPT#INST#<id>`, one item per
 * (kind, month, team): `SIGN#2019-05#<teamId>`, `SVC#…`, `RATE#…`, `CMP#2019-05#-`. Every event
 * ADDs to its counter item inside the same TransactWriteItems that records the event, so a
 * report is a few Queries of that partition — it never reads agreements or ledger entries.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CounterRow, Counters } from '@jiayi/shared/domain/fulfilment/report';
import { monthsEndingWith } from '@jiayi/shared/domain/fulfilment/report';
import type { RegisterRow, RegisterTotals } from '@jiayi/shared/domain/fulfilment/register';
import { db, tableName } from './client';
import { keys } from './keys';
import { transact, TransactionFailed, type TxItem } from './transact';

export type CounterKind = CounterRow['kind'];

/** An ADD of counter deltas (zeros dropped) to one counter item, for a transaction. Undefined when nothing changes. */
export function counterAdd(institutionId: string, kind: CounterKind, month: string, teamId: string, deltas: Counters): TxItem | undefined {
  const entries = Object.entries(deltas).filter(([, v]) => Number.isFinite(v) && v !== 0);
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = { '#inst': 'institutionId', '#kind': 'kind', '#month': 'month', '#team': 'teamId' };
  const values: Record<string, unknown> = { ':inst': institutionId, ':kind': kind, ':month': month, ':team': teamId };
  const adds = entries.map(([k, v], i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.reportCounter(institutionId, kind, month, teamId),
      UpdateExpression: `SET #inst = :inst, #kind = :kind, #month = :month, #team = :team ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * A transaction that may race another one on the same counter item (two doctors of a team
 * recording at once): DynamoDB cancels one with TransactionConflict; retry it a few times.
 * Condition failures are not retried (they are answers, not races).
 */
export async function transactCounted(items: TxItem[], attempts = 4): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await transact(items);
      return;
    } catch (e) {
      const conflict = e instanceof TransactionFailed && e.reasons.some((r) => r.Code === 'TransactionConflict') && !e.reasons.some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflict || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 20 * i + Math.floor(Math.random() * 30)));
    }
  }
}

const COUNTER_META = new Set(['pk', 'sk', 'institutionId', 'kind', 'month', 'teamId']);

function rowOf(item: Record<string, unknown>): CounterRow {
  const values: Counters = {};
  for (const [k, v] of Object.entries(item)) if (!COUNTER_META.has(k) && typeof v === 'number') values[k] = v;
  return { kind: item.kind as CounterKind, month: String(item.month), teamId: String(item.teamId), values };
}

async function queryRange(pk: string, from: string, to: string): Promise<{ rows: CounterRow[]; read: number }> {
  const rows: CounterRow[] = [];
  let read = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': pk, ':a': from, ':b': to }, ExclusiveStartKey: start }),
    );
    read += r.ScannedCount ?? r.Items?.length ?? 0;
    rows.push(...(r.Items ?? []).map(rowOf));
    start = r.LastEvaluatedKey;
  } while (start);
  return { rows, read };
}

/**
 * The counters a monthly report needs: signing from the first month up to `month` (stocks are
 * running sums), services, ratings and complaints of the 12 months ending with `month`.
 */
export async function readReportCounters(institutionId: string, month: string): Promise<{ rows: CounterRow[]; itemsRead: number }> {
  const pk = keys.reportCounter(institutionId, 'SIGN', month, '').pk;
  const first = monthsEndingWith(month, 12)[0]!;
  const parts = await Promise.all([
    queryRange(pk, 'SIGN#', `SIGN#${month}#~`),
    queryRange(pk, `SVC#${first}`, `SVC#${month}#~`),
    queryRange(pk, `RATE#${first}`, `RATE#${month}#~`),
    queryRange(pk, `CMP#${first}`, `CMP#${month}#~`),
  ]);
  return { rows: parts.flatMap((p) => p.rows), itemsRead: parts.reduce((a, p) => a + p.read, 0) };
}

// ---------------------------------------------------------------- population register

export interface PopulationRegister {
  institutionId: string;
  uploadedAt: string;
  uploadedBy: string;
  rows: RegisterRow[];
  totals: RegisterTotals;
}

/** Replaces the register with one Put: the upload is all-or-nothing by construction. */
export async function putRegister(r: PopulationRegister): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.populationRegister(r.institutionId), type: 'population-register', ...r } }));
}

export async function getRegister(institutionId: string): Promise<PopulationRegister | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.populationRegister(institutionId) }));
  if (!r.Item) return undefined;
  const { institutionId: id, uploadedAt, uploadedBy, rows, totals } = r.Item as PopulationRegister;
  return { institutionId: id, uploadedAt, uploadedBy, rows, totals };
}

// ---------------------------------------------------------------- complaints

export interface ComplaintRecord {
  id: string;
  institutionId: string;
  accountId: string;
  agreementId: string;
  teamId: string;
  teamName: string;
  category: string;
  content: string;
  residentName: string;
  status: 'open' | 'handled';
  filedAt: string;
  reply?: string;
  handledAt?: string;
  handledBy?: string;
}

/** Complaint ids sort by filing time: `<yyyymmddhhmmssSSS>-<random>`. */
export function complaintId(at: Date, random: string): string {
  return `${at.toISOString().replace(/\D/g, '').slice(0, 17)}-${random.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
}

export async function fileComplaint(c: ComplaintRecord, month: string): Promise<void> {
  const items: TxItem[] = [
    { Put: { TableName: tableName(), Item: { ...keys.complaint(c.institutionId, c.id), ...keys.complaintByAccount(c.accountId, c.id), type: 'complaint', ...c }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
  const add = counterAdd(c.institutionId, 'CMP', month, '-', { n: 1 });
  if (add) items.push(add);
  await transactCounted(items);
}

function complaintOf(i: Record<string, unknown>): ComplaintRecord {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, type: _t, ...rest } = i;
  return rest as unknown as ComplaintRecord;
}

export async function getComplaint(institutionId: string, id: string): Promise<ComplaintRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.complaint(institutionId, id), ConsistentRead: true }));
  return r.Item ? complaintOf(r.Item) : undefined;
}

export async function listComplaints(institutionId: string, opts: { status?: 'open' | 'handled'; cursor?: Record<string, unknown>; limit?: number }): Promise<{ items: ComplaintRecord[]; cursor?: Record<string, unknown> }> {
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ...(opts.status ? { FilterExpression: '#st = :st', ExpressionAttributeNames: { '#st': 'status' } } : {}),
      ExpressionAttributeValues: { ':p': keys.complaint(institutionId, '').pk, ':s': 'CMP#', ...(opts.status ? { ':st': opts.status } : {}) },
      ScanIndexForward: false,
      Limit: opts.limit ?? 50,
      ExclusiveStartKey: opts.cursor,
    }),
  );
  return { items: (r.Items ?? []).map(complaintOf), cursor: r.LastEvaluatedKey };
}

export async function listComplaintsForAccount(accountId: string): Promise<ComplaintRecord[]> {
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.complaintByAccount(accountId, '').gsi1pk },
      ScanIndexForward: false,
      Limit: 50,
    }),
  );
  return (r.Items ?? []).map(complaintOf);
}

/** open → handled with the reply; the CMP counter of the month the complaint was filed counts it handled. False when it was not open. */
export async function handleComplaint(c: ComplaintRecord, reply: string, by: string, at: string, filedMonth: string): Promise<boolean> {
  const items: TxItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.complaint(c.institutionId, c.id),
        UpdateExpression: 'SET #st = :h, reply = :r, handledAt = :at, handledBy = :by',
        ConditionExpression: '#st = :o',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':h': 'handled', ':o': 'open', ':r': reply, ':at': at, ':by': by },
      },
    },
  ];
  const add = counterAdd(c.institutionId, 'CMP', filedMonth, '-', { handled: 1 });
  if (add) items.push(add);
  try {
    await transactCounted(items);
    return true;
  } catch (e) {
    if (e instanceof TransactionFailed && e.failedAt(0)) return false;
    throw e;
  }
}

// ---------------------------------------------------------------- ratings

export interface RatingRecord {
  id: string;
  kind: 'appointment' | 'service';
  targetId: string;
  accountId: string;
  agreementId: string;
  institutionId: string;
  teamId: string;
  score: number;
  comment?: string;
  at: string;
}

/** One rating per target (attribute_not_exists) + the RATE counter, in one transaction. False when already rated. */
export async function putRating(r: RatingRecord, month: string): Promise<boolean> {
  const items: TxItem[] = [{ Put: { TableName: tableName(), Item: { ...keys.rating(r.kind, r.targetId), type: 'rating', ...r }, ConditionExpression: 'attribute_not_exists(pk)' } }];
  // weihai-2023 §一 满意度: the share of ratings of 4 or 5.
  const add = counterAdd(r.institutionId, 'RATE', month, r.teamId, { n: 1, pos: r.score >= 4 ? 1 : 0, sum: r.score });
  if (add) items.push(add);
  try {
    await transactCounted(items);
    return true;
  } catch (e) {
    if (e instanceof TransactionFailed && e.failedAt(0)) return false;
    throw e;
  }
}

/** Which of these targets were rated (BatchGet-free: one Get each, bounded by the caller). */
export async function ratedTargets(kind: 'appointment' | 'service', targetIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  await Promise.all(
    targetIds.map(async (id) => {
      const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.rating(kind, id), ProjectionExpression: 'pk' }));
      if (r.Item) out.add(id);
    }),
  );
  return out;
}
