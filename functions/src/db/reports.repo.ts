/**
 * Report counters, the population register, complaints and ratings (issue 8; docs/reports.md).
 *
 * Counters live in one small partition per institution, `RPT#INST#<id>`, one item per
 * (kind, month, team): `SIGN#2019-05#<teamId>`, `SVC#…`, `RATE#…`, `CMP#2019-05#-`. Every event
 * ADDs to its counter item inside the same TransactWriteItems that records the event, so a
 * report is a few Queries of that partition — it never reads agreements or ledger entries.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CounterRow, Counters } from '@jiayi/shared/domain/fulfilment/report';
import { monthsEndingWith } from '@jiayi/shared/domain/fulfilment/report';
import type { RegisterRow, RegisterTotals } from '@jiayi/shared/domain/fulfilment/register';
import { db, getFields, putRecord, tableName } from './client';
import { keys } from './keys';
import { queryFrom, queryPages } from './query';
import { retry, type PlanItem } from '@jiayi/shared/domain/plan';
import { commitItems, type TxItem } from './transact';

export type CounterKind = CounterRow['kind'];

/** An ADD of counter deltas (zeros dropped) to one counter item, for a transaction. At least one delta must be non-zero. */
export function counterAdd(institutionId: string, kind: CounterKind, month: string, teamId: string, deltas: Counters): TxItem {
  const entries = Object.entries(deltas).filter(([, v]) => Number.isFinite(v) && v !== 0);
  if (entries.length === 0) throw new RangeError(`no counter change for ${kind}#${month}#${teamId}`);
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

/** A counter item of a plan (its condition-free ADD cannot fail; a race with another ADD is a write conflict, retried by commit). */
export function counterItem(institutionId: string, kind: CounterKind, month: string, teamId: string, deltas: Counters): PlanItem<TxItem> {
  return { name: `counter:${kind}#${month}#${teamId}`, write: counterAdd(institutionId, kind, month, teamId, deltas) };
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
  for await (const page of queryPages({ KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': pk, ':a': from, ':b': to } })) {
    read += page.ScannedCount ?? page.Items?.length ?? 0;
    rows.push(...(page.Items ?? []).map(rowOf));
  }
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
export function putRegister(r: PopulationRegister): Promise<void> {
  return putRecord(keys.populationRegister(r.institutionId), 'population-register', r);
}

export function getRegister(institutionId: string): Promise<PopulationRegister | undefined> {
  return getFields<PopulationRegister>(keys.populationRegister(institutionId), ['institutionId', 'uploadedAt', 'uploadedBy', 'rows', 'totals']);
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
  await commitItems({
    items: [
      {
        name: 'complaint',
        write: { Put: { TableName: tableName(), Item: { ...keys.complaint(c.institutionId, c.id), ...keys.complaintByAccount(c.accountId, c.id), type: 'complaint', ...c }, ConditionExpression: 'attribute_not_exists(pk)' } },
      },
      counterItem(c.institutionId, 'CMP', month, '-', { n: 1 }),
    ],
  });
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
  const page = await queryFrom(
    {
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ...(opts.status ? { FilterExpression: '#st = :st', ExpressionAttributeNames: { '#st': 'status' } } : {}),
      ExpressionAttributeValues: { ':p': keys.complaint(institutionId, '').pk, ':s': 'CMP#', ...(opts.status ? { ':st': opts.status } : {}) },
      ScanIndexForward: false,
      Limit: opts.limit ?? 50,
    },
    opts.cursor,
  );
  return { items: page.items.map(complaintOf), ...(page.next && { cursor: page.next }) };
}

/** A household's own complaints, newest first (the latest 50). */
export async function listComplaintsForAccount(accountId: string): Promise<ComplaintRecord[]> {
  const page = await queryFrom(
    { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.complaintByAccount(accountId, '').gsi1pk }, ScanIndexForward: false, Limit: 50 },
    undefined,
  );
  return page.items.map(complaintOf);
}

/** open → handled with the reply; the CMP counter of the month the complaint was filed counts it handled. False when it was not open. */
export async function handleComplaint(c: ComplaintRecord, reply: string, by: string, at: string, filedMonth: string): Promise<boolean> {
  const applied = await commitItems({
    items: [
      {
        name: 'complaint',
        write: {
          Update: {
            TableName: tableName(),
            Key: keys.complaint(c.institutionId, c.id),
            UpdateExpression: 'SET #st = :h, reply = :r, handledAt = :at, handledBy = :by',
            ConditionExpression: '#st = :o',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: { ':h': 'handled', ':o': 'open', ':r': reply, ':at': at, ':by': by },
          },
        },
        // Handled meanwhile by someone else.
        onFail: retry,
      },
      counterItem(c.institutionId, 'CMP', filedMonth, '-', { handled: 1 }),
    ],
  });
  return applied.kind === 'committed';
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
  const applied = await commitItems({
    items: [
      // An existing rating of the target: rated already.
      { name: 'rating', write: { Put: { TableName: tableName(), Item: { ...keys.rating(r.kind, r.targetId), type: 'rating', ...r }, ConditionExpression: 'attribute_not_exists(pk)' } }, onFail: retry },
      // weihai-2023 §一 满意度: the share of ratings of 4 or 5.
      counterItem(r.institutionId, 'RATE', month, r.teamId, { n: 1, pos: r.score >= 4 ? 1 : 0, sum: r.score }),
    ],
  });
  return applied.kind === 'committed';
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
