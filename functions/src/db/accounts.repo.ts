/**
 * Resident accounts: one per WeChat openid (`OPENID#<openid>` uniqueness item → account id), the
 * account item `ACCT#<id>` / `ACCOUNT`, and privacy-notice acceptances `PRIVACY#<at>#<id>` in the
 * same partition. The partition also holds members (members.repo) and consent records
 * (consents.repo): household.repo `loadAccountPartition` reads all of it with one Query.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { db, tableName } from './client';
import { keys } from './keys';
import { transact, TransactionFailed } from './transact';
import { seal, places } from '../lib/pii';

export type StoredBasis =
  | { kind: 'local_hukou' }
  | { kind: 'residence_permit'; permitNumberEnc: string; permitNumberMasked: string; expiresOn: string };

export interface AccountItem {
  accountId: string;
  openid: string;
  unionid?: string;
  createdAt: string;
  lastLoginAt?: string;
  privacyVersion?: string;
  privacyAcceptedAt?: string;
  /** The account holder's own member record (relation 本人), set by PUT /me/identity. */
  selfMemberId?: string;
  mobileEnc?: string;
  mobileMasked?: string;
  basis?: StoredBasis;
  /** Members in the household (the holder included); bounded by a condition on every add. */
  memberCount: number;
}

export const PRIVACY_SK_PREFIX = 'PRIVACY#';

export interface PrivacyRecord {
  version: string;
  at: string;
}

export function accountFromItem(item: Record<string, unknown>): AccountItem {
  const { pk: _pk, sk: _sk, type: _type, sessionKeyEnc: _sessionKey, ...rest } = item;
  return { ...(rest as unknown as AccountItem), memberCount: typeof rest.memberCount === 'number' ? rest.memberCount : 0 };
}

/**
 * The account of an openid, created on first login. Two first logins racing: the openid item's
 * `attribute_not_exists` lets one create the account; the other reads the winner's.
 * WeChat's session_key is kept only encrypted (for a later wx.getPhoneNumber decryption), never returned.
 */
export async function loginWithOpenid(input: { openid: string; unionid?: string; sessionKey: string; now: Date }): Promise<AccountItem> {
  const at = input.now.toISOString();
  let accountId = await accountIdOf(input.openid);
  if (!accountId) {
    const fresh = randomUUID();
    try {
      await transact([
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.accountByOpenid(input.openid), type: 'openid', accountId: fresh, createdAt: at },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.account(fresh),
              type: 'account',
              accountId: fresh,
              openid: input.openid,
              ...(input.unionid ? { unionid: input.unionid } : {}),
              createdAt: at,
              lastLoginAt: at,
              memberCount: 0,
              sessionKeyEnc: seal(input.sessionKey, places.sessionKey(fresh)),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      return (await getAccount(fresh))!;
    } catch (e) {
      if (!(e instanceof TransactionFailed && e.failedAt(0))) throw e;
      accountId = await accountIdOf(input.openid);
      if (!accountId) throw e;
    }
  }
  const r = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.account(accountId),
      UpdateExpression: 'SET lastLoginAt = :at, sessionKeyEnc = :sk',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at, ':sk': seal(input.sessionKey, places.sessionKey(accountId)) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return accountFromItem(r.Attributes!);
}

async function accountIdOf(openid: string): Promise<string | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.accountByOpenid(openid), ConsistentRead: true }));
  return r.Item?.accountId as string | undefined;
}

export async function getAccount(accountId: string): Promise<AccountItem | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.account(accountId), ConsistentRead: true }));
  return r.Item ? accountFromItem(r.Item) : undefined;
}

/** Record acceptance of a privacy notice version: current state on the account + an append-only record. */
export async function acceptPrivacy(accountId: string, version: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.account(accountId),
        UpdateExpression: 'SET privacyVersion = :v, privacyAcceptedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':v': version, ':at': at },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.privacyRecord(accountId, at, randomUUID()), type: 'privacy', accountId, version, at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}
