/**
 * The fulfilment ledger of an agreement: entries `AGR#<agreementId>` / `SVC#<at>#<entryId>`,
 * written by the staff console when a promised service is delivered ("签约一人、履约一人、做实一人";
 * jilin-2017 §五(四): service records are the basis of payment). Entries are never deleted: a
 * mistaken entry is voided (`voided: true`) and no longer counts.
 *
 * Signing reads it for refunds (liyang-2019 §三(二): refund after deducting services delivered).
 */
import { tableName } from './client';
import { queryAll } from './query';
import { keys } from './keys';
import { refuse, type PlanItem } from '@jiayi/shared/domain/plan';
import { entryAlreadyVoided } from '@jiayi/shared/domain/fulfilment/record';
import { counterItem } from './reports.repo';
import { commitItems, type TxItem } from './transact';

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
  const items = await queryAll({
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': keys.agreement(agreementId).pk, ':s': FULFILMENT_SK_PREFIX },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, type: _t, ...rest }) => rest as unknown as FulfilmentEntry);
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

// ------------------------------------------------------------------------------------------
// Writers (issue 8, clinic console). Added at the end; the read functions above are unchanged.
// `at` is the service date (LocalDate), so the sort key reads `SVC#<date>#<entryId>`.

/** A ledger entry as the console writes it: the fields above plus who/what/where for views and counters. */
export interface ServiceRecord extends FulfilmentEntry {
  institutionId: string;
  teamId: string;
  memberName: string;
  itemName: string;
  /** jilin-2017 §五(四): the swipe record of the social-security / ID / health card. */
  evidence?: { kind: string; reference: string };
  staffName: string;
  recordedAt: string;
  /** The entry this one corrects (that entry is voided in the same transaction). */
  voids?: string;
  /** A referral item (转诊): counted as a referral in the reports. */
  referral: boolean;
}

/** SVC counter deltas of entries (+1) and voided entries (−1), one ADD per counter item (a transaction may touch an item once). */
function serviceCounters(changes: { e: ServiceRecord; sign: 1 | -1 }[]): PlanItem<TxItem>[] {
  const byItem = new Map<string, { e: ServiceRecord; deltas: Record<string, number> }>();
  for (const { e, sign } of changes) {
    const k = `${e.institutionId}\u0000${e.at.slice(0, 7)}\u0000${e.teamId}`;
    const cur = byItem.get(k) ?? { e, deltas: {} };
    const add = (name: string, n: number) => (cur.deltas[name] = (cur.deltas[name] ?? 0) + n);
    add('n', sign);
    add(`q:${e.itemCode}`, sign * e.quantity);
    if (e.referral) add('ref', sign * e.quantity);
    byItem.set(k, cur);
  }
  return [...byItem.values()]
    .filter(({ deltas }) => Object.values(deltas).some((v) => v !== 0))
    .map(({ e, deltas }) => counterItem(e.institutionId, 'SVC', e.at.slice(0, 7), e.teamId, deltas));
}

function entryPut(name: string, e: ServiceRecord): PlanItem<TxItem> {
  return { name, write: { Put: { TableName: tableName(), Item: fulfilmentItem(e), ConditionExpression: 'attribute_not_exists(pk)' } } };
}

/** Records a delivered service: the entry and the month's SVC counter in one transaction. */
export async function recordService(e: ServiceRecord): Promise<void> {
  await commitItems({ items: [entryPut('entry', e), ...serviceCounters([{ e, sign: 1 }])] });
}

/**
 * A correction: the old entry is marked voided (never edited otherwise, never deleted), its units
 * come off the counter of its own month, and the corrected entry (if any) is added — one
 * transaction, conditioned on the old entry not being voided yet (two corrections cannot both win:
 * the loser is refused with entryAlreadyVoided).
 */
export async function correctService(input: { old: ServiceRecord; replacement?: ServiceRecord; by: string; reason: string; at: string }): Promise<void> {
  const { old } = input;
  const items: PlanItem<TxItem>[] = [
    {
      name: 'voided',
      write: {
        Update: {
          TableName: tableName(),
          Key: keys.fulfilment(old.agreementId, old.at, old.entryId),
          UpdateExpression: 'SET voided = :t, voidedAt = :at, voidedBy = :by, voidReason = :r',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(voided) OR voided = :f)',
          ExpressionAttributeValues: { ':t': true, ':f': false, ':at': input.at, ':by': input.by, ':r': input.reason },
        },
      },
      onFail: refuse(entryAlreadyVoided()),
    },
  ];
  if (input.replacement) items.push(entryPut('replacement', input.replacement));
  items.push(...serviceCounters([{ e: old, sign: -1 }, ...(input.replacement ? [{ e: input.replacement, sign: 1 as const }] : [])]));
  const applied = await commitItems({ items });
  if (applied.kind === 'refuse') throw applied.error;
}
