/**
 * TransactWriteItems with the cancellation reasons surfaced: callers map a failed condition of
 * a given item to a typed domain error (never a 500, never a read-then-write check).
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
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
