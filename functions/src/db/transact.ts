/**
 * TransactWriteItems and the ONE decoder of a cancelled transaction, shared by agreements,
 * appointments and reports.
 *
 * `commit(plan, encode)` writes a plan (shared/src/domain/plan.ts) as one transaction. A write
 * conflict with a concurrent transaction (TransactionConflict: two signings on one team counter,
 * two doctors on one report counter) is retried with jittered backoff; a failed condition is an
 * answer, never retried here: the first failed item in plan order is handed back to its own
 * `onFail` with the item as it was stored, by name. The data layer decides nothing.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Applied, Plan } from '@jiayi/shared/domain/plan';
import { db } from './client';

export type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface CancellationReason {
  Code?: string;
  Message?: string;
  /** Raw attribute values (`{ S: 'x' }`) of the item whose condition failed, with ReturnValuesOnConditionCheckFailure ALL_OLD. */
  Item?: Record<string, { S?: string; N?: string; BOOL?: boolean }>;
}

export class TransactionFailed extends Error {
  constructor(readonly reasons: CancellationReason[]) {
    super(`transaction cancelled: ${reasons.map((r) => r.Code ?? 'None').join(', ')}`);
    this.name = 'TransactionFailed';
  }
  /** The reason for the item at `index`, if its condition failed. */
  failedAt(index: number): CancellationReason | undefined {
    const r = this.reasons[index];
    return r?.Code === 'ConditionalCheckFailed' ? r : undefined;
  }
  /** Only write conflicts with other transactions, no failed condition: the same items may be sent again. */
  get conflictOnly(): boolean {
    return this.reasons.some((r) => r.Code === 'TransactionConflict') && !this.reasons.some((r) => r.Code === 'ConditionalCheckFailed');
  }
}

/** Write conflicts went on after every retry (a very hot item). The seam for a typed retryable answer. */
export class TransactionBusy extends TransactionFailed {
  constructor(reasons: CancellationReason[]) {
    super(reasons);
    this.name = 'TransactionBusy';
  }
}

/** Run the items as one transaction; a cancelled transaction throws TransactionFailed. */
export async function transact(items: TxItem[]): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (e) {
    if (e && typeof e === 'object' && (e as { name?: string }).name === 'TransactionCanceledException') {
      throw new TransactionFailed(((e as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []) as CancellationReason[]);
    }
    throw e;
  }
}

/** Attempts of one plan against write conflicts (DynamoDB cancels one of two transactions touching an item at once). */
export const CONFLICT_ATTEMPTS = 6;

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, 20 * attempt + Math.floor(Math.random() * 30)));

/**
 * Write `plan` as one transaction (`encode` turns each item's write into its TransactWriteItems
 * entry). Committed, or the failure meaning of the first failed item that has one; a failed item
 * without one is a fault (TransactionFailed), conflicts after every retry are `plan.busy` or
 * TransactionBusy.
 */
export async function commit<W>(plan: Plan<W>, encode: (write: W) => TxItem): Promise<Applied> {
  const items = plan.items.map((i) => encode(i.write));
  for (let attempt = 1; ; attempt++) {
    try {
      await transact(items);
      return { kind: 'committed' };
    } catch (e) {
      if (!(e instanceof TransactionFailed)) throw e;
      if (e.conflictOnly) {
        if (attempt < CONFLICT_ATTEMPTS) {
          await backoff(attempt);
          continue;
        }
        throw plan.busy ?? new TransactionBusy(e.reasons);
      }
      return decode(plan, e);
    }
  }
}

/** The one decoder: the cancellation reasons, zipped with the plan's item names, to the first failed item's meaning. */
function decode<W>(plan: Plan<W>, e: TransactionFailed): Applied {
  const failed = plan.items.map((item, i) => ({ item, reason: e.failedAt(i) })).filter((f) => f.reason);
  const decided = failed.find((f) => f.item.onFail);
  if (!decided) throw e;
  const stored = decided.reason!.Item ? unmarshall(decided.reason!.Item as Parameters<typeof unmarshall>[0]) : undefined;
  return { ...decided.item.onFail!(stored), item: decided.item.name };
}

/** A plan whose writes are TransactWriteItems entries already (small repos: complaints, ratings, the ledger). */
export function commitItems(plan: Plan<TxItem>): Promise<Applied> {
  return commit(plan, (w) => w);
}
