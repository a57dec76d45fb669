/**
 * Consent decisions (PIPL art. 14–15, 29, 31): append-only records in the account's partition,
 * `ACCT#<accountId>` / `CONSENT#<at>#<id>`. Written only inside the transaction of the save or
 * withdrawal they belong to; read with the rest of the partition (accounts.repo
 * `loadAccountPartition`).
 */
import { randomUUID } from 'node:crypto';
import type { StoredConsentRecord } from '@jiayi/shared/domain/identity/household';
import { tableName } from './client';
import { keys } from './keys';
import type { TxItem } from './transact';

export const CONSENT_SK_PREFIX = 'CONSENT#';

/**
 * The Put of one new consent record, for a transaction. `seq` orders records written at the same
 * instant (one save granting two purposes) in the order they were given.
 */
export function consentPut(accountId: string, record: StoredConsentRecord, seq = 0): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.consentRecord(accountId, record.at, `${String(seq).padStart(2, '0')}-${randomUUID()}`), type: 'consent', accountId, ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function consentFromItem(item: Record<string, unknown>): StoredConsentRecord {
  const { purpose, version, decision, at, by, onBehalfOf, role } = item as unknown as StoredConsentRecord;
  return { purpose, version, decision, at, by, ...(onBehalfOf ? { onBehalfOf } : {}), role };
}
