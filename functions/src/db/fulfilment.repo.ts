/**
 * The fulfilment ledger of an agreement: entries `AGR#<agreementId>` / `SVC#<at>#<entryId>`,
 * written by the staff console when a promised service is delivered ("签约一人、履约一人、做实一人";
 * jilin-2017 §五(四): service records are the basis of payment). Entries are never deleted: a
 * mistaken entry is voided (`voided: true`) and no longer counts.
 *
 * Signing reads it for refunds (liyang-2019 §三(二): refund after deducting services delivered).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';

export const FULFILMENT_SK_PREFIX = 'SVC#';

export interface FulfilmentEntry {
  agreementId: string;
  entryId: string;
  memberId: string;
  packageCode: string;
  itemCode: string;
  /** Units delivered (positive integer). */
  quantity: number;
  at: string;
  /** Staff id who recorded it. */
  by: string;
  note?: string;
  voided?: boolean;
  voidedAt?: string;
  voidedBy?: string;
  voidReason?: string;
}

export interface DeliveredQuantity {
  memberId: string;
  packageCode: string;
  itemCode: string;
  quantity: number;
}

/** The Item of a new ledger entry (for a Put, possibly inside a transaction). */
export function fulfilmentItem(e: FulfilmentEntry): Record<string, unknown> {
  return { ...keys.fulfilment(e.agreementId, e.at, e.entryId), type: 'fulfilment', ...e };
}

/** Every ledger entry of an agreement (voided ones included), in recording order. Consistent read. */
export async function listFulfilment(agreementId: string): Promise<FulfilmentEntry[]> {
  const out: FulfilmentEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': keys.agreement(agreementId).pk, ':s': FULFILMENT_SK_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) {
      const { pk: _pk, sk: _sk, type: _t, ...rest } = i;
      out.push(rest as FulfilmentEntry);
    }
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Delivered units per (member, package, item), voided entries excluded. */
export async function deliveredQuantities(agreementId: string): Promise<DeliveredQuantity[]> {
  return sumDelivered(await listFulfilment(agreementId));
}

export function sumDelivered(entries: FulfilmentEntry[]): DeliveredQuantity[] {
  const sums = new Map<string, DeliveredQuantity>();
  for (const e of entries) {
    if (e.voided === true) continue;
    if (!Number.isSafeInteger(e.quantity) || e.quantity <= 0) continue;
    const k = `${e.memberId}\u0000${e.packageCode}\u0000${e.itemCode}`;
    const cur = sums.get(k) ?? { memberId: e.memberId, packageCode: e.packageCode, itemCode: e.itemCode, quantity: 0 };
    cur.quantity += e.quantity;
    sums.set(k, cur);
  }
  return [...sums.values()];
}
