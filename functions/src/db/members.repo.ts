/**
 * Household members (`ACCT#<accountId>` / `MEMBER#<memberId>`; the account holder is the member
 * with relation 本人) and the person-uniqueness items (`PERSON#<HMAC(idNumber)>` / `PERSON`).
 *
 * One ID document belongs to at most one member of one account: every write that gives a member
 * an ID number puts the uniqueness item with `attribute_not_exists(pk)` in the SAME transaction
 * as the member; every write that takes it away (removal, a changed number, a withdrawal) deletes
 * it, conditioned on still owning it. The representative's own record and every member share
 * this one namespace.
 *
 * At rest: the ID number and the declared conditions/statuses are AES-256-GCM ciphertexts bound
 * to (account, member, field); `idHash` is the HMAC; `idNumberMasked` the only plain form. No
 * birth date is stored: it is derived from the number (and the masked form + birth date would be
 * the whole number).
 */
import { randomUUID } from 'node:crypto';
import { ConflictError } from '@jiayi/shared/domain/errors';
import { maskIdNumber, validateIdNumberShape, type IdDocumentKind } from '@jiayi/shared/domain/identity/id-number';
import { MAX_HOUSEHOLD_MEMBERS, withdrawalErases, type StoredConsentRecord } from '@jiayi/shared/domain/identity/household';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import type { Condition, Sex, Status } from '@jiayi/shared/domain/person';
import type { IdentityBasis, Relation } from '@jiayi/shared/schemas/residents';
import { maskMobile } from '@jiayi/shared/schemas/residents';
import { tableName } from './client';
import { keys } from './keys';
import { transact, TransactionFailed, type CancellationReason, type TxItem } from './transact';
import { consentPut } from './consents.repo';
import { idNumberHash, open, openJson, places, seal, sealJson } from '../lib/pii';
import type { AccountItem, StoredBasis } from './accounts.repo';

export const MEMBER_SK_PREFIX = 'MEMBER#';

export interface MemberItem {
  accountId: string;
  memberId: string;
  relation: Relation;
  /** The account holder (relation 本人). */
  self: boolean;
  name: string;
  idNumberEnc?: string;
  idHash?: string;
  idNumberMasked?: string;
  /** `{ conditions, statuses }` encrypted; absent when nothing is declared. */
  healthEnc?: string;
  insuredLocally: boolean;
  localHukou: boolean;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency counter: every write is conditioned on the version it read. */
  version: number;
}

/** A member decrypted, for the handlers. Never put `idNumber` in a response or a log. */
export interface HouseholdMember {
  memberId: string;
  relation: Relation;
  self: boolean;
  name: string;
  /** Full normalised number (internal use only); null when none is held (consent withdrawn). */
  idNumber: string | null;
  idNumberMasked: string | null;
  birthDate: LocalDate | null;
  sex: Sex | null;
  documentKind: IdDocumentKind | null;
  conditions: Condition[];
  statuses: Status[];
  insuredLocally: boolean;
  localHukou: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function memberFromItem(item: Record<string, unknown>): MemberItem {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as unknown as MemberItem;
}

export function decryptMember(m: MemberItem): HouseholdMember {
  const idNumber = m.idNumberEnc ? open(m.idNumberEnc, places.idNumber(m.accountId, m.memberId)) : null;
  const parsed = idNumber ? validateIdNumberShape(idNumber) : undefined;
  const health = m.healthEnc
    ? openJson<{ conditions: Condition[]; statuses: Status[] }>(m.healthEnc, places.health(m.accountId, m.memberId))
    : { conditions: [], statuses: [] };
  return {
    memberId: m.memberId,
    relation: m.relation,
    self: m.self,
    name: m.name,
    idNumber,
    idNumberMasked: m.idNumberMasked ?? null,
    birthDate: parsed?.ok ? parsed.birthDate : null,
    sex: parsed?.ok ? parsed.sex : null,
    documentKind: parsed?.ok ? parsed.documentKind : null,
    conditions: health.conditions,
    statuses: health.statuses,
    insuredLocally: m.insuredLocally,
    localHukou: m.localHukou,
    version: m.version,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

// ------------------------------------------------------------------ item builders

/** What a save writes about a member; the repo seals it. */
export interface MemberDraft {
  relation: Relation;
  name: string;
  /** Normalised ID number; null = none held. */
  idNumber: string | null;
  conditions: Condition[];
  statuses: Status[];
  insuredLocally: boolean;
  localHukou: boolean;
}

function memberItem(accountId: string, memberId: string, self: boolean, d: MemberDraft, createdAt: string, updatedAt: string, version: number) {
  return {
    ...keys.member(accountId, memberId),
    type: 'member',
    accountId,
    memberId,
    relation: d.relation,
    self,
    name: d.name,
    ...(d.idNumber
      ? {
          idNumberEnc: seal(d.idNumber, places.idNumber(accountId, memberId)),
          idHash: idNumberHash(d.idNumber),
          idNumberMasked: maskIdNumber(d.idNumber),
        }
      : {}),
    ...(d.conditions.length || d.statuses.length
      ? { healthEnc: sealJson({ conditions: d.conditions, statuses: d.statuses }, places.health(accountId, memberId)) }
      : {}),
    insuredLocally: d.insuredLocally,
    localHukou: d.localHukou,
    createdAt,
    updatedAt,
    version,
  };
}

function claimPerson(idHash: string, accountId: string, memberId: string, at: string): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.personUnique(idHash), type: 'person-unique', accountId, memberId, createdAt: at },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

function releasePerson(idHash: string, accountId: string, memberId: string): TxItem {
  return {
    Delete: {
      TableName: tableName(),
      Key: keys.personUnique(idHash),
      ConditionExpression: 'accountId = :a AND memberId = :m',
      ExpressionAttributeValues: { ':a': accountId, ':m': memberId },
    },
  };
}

function putMember(item: ReturnType<typeof memberItem>, expectVersion: number | undefined): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      ...(expectVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectVersion } }),
    },
  };
}

// ------------------------------------------------------------------ errors

export const DUPLICATE_ID_MESSAGE = '该证件号码已被其他账号使用';

function duplicateIdError(reason: CancellationReason, accountId: string): ConflictError {
  if (reason.Item?.accountId?.S === accountId) {
    return new ConflictError('ID_NUMBER_IN_HOUSEHOLD', '该证件号码已登记在您的家庭成员中', [
      { path: 'idNumber', message: '该证件号码已登记在您的家庭成员中' },
    ]);
  }
  return new ConflictError('ID_NUMBER_TAKEN', DUPLICATE_ID_MESSAGE, [{ path: 'idNumber', message: DUPLICATE_ID_MESSAGE }]);
}

const staleError = () => new ConflictError('STALE', '信息已被修改，请刷新后重试');

/** Run a transaction; a failed uniqueness claim at `claimAt` is the duplicate-ID 409, any other failed condition `other()`. */
async function run(items: TxItem[], accountId: string, claimAt: number | undefined, other: (e: TransactionFailed) => Error = staleError): Promise<void> {
  try {
    await transact(items);
  } catch (e) {
    if (!(e instanceof TransactionFailed)) throw e;
    const dup = claimAt === undefined ? undefined : e.failedAt(claimAt);
    if (dup) throw duplicateIdError(dup, accountId);
    throw other(e);
  }
}

// ------------------------------------------------------------------ writes

/** Residence-permit numbers differ by province: an 18-character one masks like an ID number, others keep only the last 4. */
export function maskPermitNumber(n: string): string {
  if (n.length === 18) return maskIdNumber(n);
  return n.length >= 8 ? `${'*'.repeat(n.length - 4)}${n.slice(-4)}` : '*'.repeat(n.length);
}

function storedBasis(accountId: string, basis: IdentityBasis): StoredBasis {
  if (basis.kind === 'local_hukou') return { kind: 'local_hukou' };
  return {
    kind: 'residence_permit',
    permitNumberEnc: seal(basis.permitNumber, places.permitNumber(accountId)),
    permitNumberMasked: maskPermitNumber(basis.permitNumber),
    expiresOn: basis.expiresOn,
  };
}

/**
 * PUT /me/identity: the holder's real-name identity. First time: creates the 本人 member, claims
 * the person and sets `selfMemberId` (condition: not set yet) in one transaction. Later: rewrites
 * the 本人 member (version check) and, when the number changed, swaps the uniqueness items.
 */
export async function saveIdentity(input: {
  account: AccountItem;
  self: HouseholdMember | undefined;
  name: string;
  idNumber: string;
  mobile: string;
  basis: IdentityBasis;
  consents: StoredConsentRecord[];
  now: Date;
}): Promise<string> {
  const { account, self } = input;
  const accountId = account.accountId;
  const at = input.now.toISOString();
  const memberId = self?.memberId ?? randomUUID();
  const draft: MemberDraft = {
    relation: '本人',
    name: input.name,
    idNumber: input.idNumber,
    conditions: self?.conditions ?? [],
    statuses: self?.statuses ?? [],
    insuredLocally: self?.insuredLocally ?? false,
    localHukou: input.basis.kind === 'local_hukou',
  };
  const item = memberItem(accountId, memberId, true, draft, self?.createdAt ?? at, at, (self?.version ?? 0) + 1);
  const items: TxItem[] = [putMember(item, self?.version)];
  const oldHash = self?.idNumber ? idNumberHash(self.idNumber) : undefined;
  let claimAt: number | undefined;
  if (item.idHash !== oldHash) {
    claimAt = items.push(claimPerson(item.idHash!, accountId, memberId, at)) - 1;
    if (oldHash) items.push(releasePerson(oldHash, accountId, memberId));
  }
  items.push({
    Update: {
      TableName: tableName(),
      Key: keys.account(accountId),
      UpdateExpression: `SET selfMemberId = :m, mobileEnc = :mob, mobileMasked = :mobm, basis = :b, updatedAt = :at${self ? '' : ' ADD memberCount :one'}`,
      ConditionExpression: self ? 'selfMemberId = :m' : 'attribute_exists(pk) AND attribute_not_exists(selfMemberId) AND memberCount < :max',
      ExpressionAttributeValues: {
        ':m': memberId,
        ':mob': seal(input.mobile, places.mobile(accountId)),
        ':mobm': maskMobile(input.mobile),
        ':b': storedBasis(accountId, input.basis),
        ':at': at,
        ...(self ? {} : { ':one': 1, ':max': MAX_HOUSEHOLD_MEMBERS }),
      },
    },
  });
  items.push(...input.consents.map((c, i) => consentPut(accountId, c, i)));
  await run(items, accountId, claimAt);
  return memberId;
}

/** POST /me/members: the member, their uniqueness item, the household count and the consents, together. */
export async function addMember(input: { accountId: string; draft: MemberDraft; consents: StoredConsentRecord[]; now: Date; memberId?: string }): Promise<string> {
  const { accountId } = input;
  const at = input.now.toISOString();
  const memberId = input.memberId ?? randomUUID();
  const item = memberItem(accountId, memberId, false, input.draft, at, at, 1);
  const items: TxItem[] = [putMember(item, undefined), claimPerson(item.idHash!, accountId, memberId, at)];
  items.push({
    Update: {
      TableName: tableName(),
      Key: keys.account(accountId),
      UpdateExpression: 'SET updatedAt = :at ADD memberCount :one',
      ConditionExpression: 'attribute_exists(selfMemberId) AND memberCount < :max',
      ExpressionAttributeValues: { ':at': at, ':one': 1, ':max': MAX_HOUSEHOLD_MEMBERS },
    },
  });
  items.push(...input.consents.map((c, i) => consentPut(accountId, c, i)));
  await run(items, accountId, 1, (e) =>
    e.failedAt(2) ? new ConflictError('HOUSEHOLD_FULL', `每户最多登记${MAX_HOUSEHOLD_MEMBERS}位家庭成员`) : staleError(),
  );
  return memberId;
}

/** PUT /me/members/{id}: rewrite the member (version check); swap uniqueness items when the number changed. */
export async function updateMember(input: { accountId: string; current: HouseholdMember; draft: MemberDraft; consents: StoredConsentRecord[]; now: Date }): Promise<void> {
  const { accountId, current } = input;
  const at = input.now.toISOString();
  const item = memberItem(accountId, current.memberId, current.self, input.draft, current.createdAt, at, current.version + 1);
  const items: TxItem[] = [putMember(item, current.version)];
  const oldHash = current.idNumber ? idNumberHash(current.idNumber) : undefined;
  let claimAt: number | undefined;
  if (item.idHash !== oldHash) {
    if (item.idHash) claimAt = items.push(claimPerson(item.idHash, accountId, current.memberId, at)) - 1;
    if (oldHash) items.push(releasePerson(oldHash, accountId, current.memberId));
  }
  items.push(...input.consents.map((c, i) => consentPut(accountId, c, i)));
  await run(items, accountId, claimAt);
}

/** DELETE /me/members/{id}: the member and their uniqueness item go together; the count drops. */
export async function removeMember(input: { accountId: string; current: HouseholdMember; now: Date }): Promise<void> {
  const { accountId, current } = input;
  const items: TxItem[] = [
    {
      Delete: {
        TableName: tableName(),
        Key: keys.member(accountId, current.memberId),
        ConditionExpression: '#v = :v AND #self = :false',
        ExpressionAttributeNames: { '#v': 'version', '#self': 'self' },
        ExpressionAttributeValues: { ':v': current.version, ':false': false },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.account(accountId),
        UpdateExpression: 'SET updatedAt = :at ADD memberCount :minus',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': input.now.toISOString(), ':minus': -1 },
      },
    },
  ];
  if (current.idNumber) items.push(releasePerson(idNumberHash(current.idNumber), accountId, current.memberId));
  await run(items, accountId, undefined);
}

/**
 * POST /me/consents: the decision record, and for a withdrawal the erasure it implies
 * (household.ts `withdrawalErases`) of the subject's member record, in one transaction.
 */
export async function recordConsentDecision(input: { accountId: string; record: StoredConsentRecord; subject: HouseholdMember | undefined; now: Date }): Promise<void> {
  const { accountId, record, subject } = input;
  const items: TxItem[] = [consentPut(accountId, record)];
  if (record.decision === 'withdrawn' && subject) {
    const erase = withdrawalErases(record.purpose);
    const removes: string[] = [];
    if (erase.health && (subject.conditions.length || subject.statuses.length)) removes.push('healthEnc');
    if (erase.idNumber && subject.idNumber) removes.push('idNumberEnc', 'idHash', 'idNumberMasked');
    if (removes.length) {
      items.push({
        Update: {
          TableName: tableName(),
          Key: keys.member(accountId, subject.memberId),
          UpdateExpression: `REMOVE ${removes.join(', ')} SET #v = :next, updatedAt = :at`,
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': subject.version, ':next': subject.version + 1, ':at': input.now.toISOString() },
        },
      });
      if (erase.idNumber && subject.idNumber) items.push(releasePerson(idNumberHash(subject.idNumber), accountId, subject.memberId));
    }
  }
  await run(items, accountId, undefined);
}
