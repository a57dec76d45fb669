/**
 * The household read model: everything in an account's partition (`ACCT#<accountId>`: the
 * account, its members, consent and privacy records) with one Query, and the two functions other
 * features call — `listHousehold(accountId)` and `loadHouseholdMember(accountId, memberId)`.
 *
 * Access is by construction: every key starts with the caller's own account id, so a member id
 * from another household is simply not found (404), never read.
 */
import { ConflictError, ForbiddenError, NotFoundError } from '@jiayi/shared/domain/errors';
import { hasConsent } from '@jiayi/shared/domain/identity/consent';
import type { StoredConsentRecord } from '@jiayi/shared/domain/identity/household';
import type { PersonFacts } from '@jiayi/shared/domain/person';
import type { Relation } from '@jiayi/shared/schemas/residents';
import { keys } from './keys';
import { queryAll } from './query';
import { accountFromItem, PRIVACY_SK_PREFIX, type AccountItem, type PrivacyRecord } from './accounts.repo';
import { consentFromItem, CONSENT_SK_PREFIX } from './consents.repo';
import { decryptMember, memberFromItem, MEMBER_SK_PREFIX, type HouseholdMember } from './members.repo';
import { idNumberHash } from '../lib/pii';

export interface AccountPartition {
  account: AccountItem;
  /** Decrypted; the 本人 member first, then by creation time. */
  members: HouseholdMember[];
  /** In decision order. */
  consents: StoredConsentRecord[];
  privacyHistory: PrivacyRecord[];
}

/** Everything in the account's partition with one (paged, consistent) Query; undefined when there is no such account. */
export async function loadAccountPartition(accountId: string): Promise<AccountPartition | undefined> {
  const items = await queryAll({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.account(accountId).pk }, ConsistentRead: true });
  const accountItem = items.find((i) => i.sk === keys.account(accountId).sk);
  if (!accountItem) return undefined;
  const bySk = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
  const members = bySk(MEMBER_SK_PREFIX)
    .map((i) => decryptMember(memberFromItem(i)))
    .sort((a, b) => Number(b.self) - Number(a.self) || a.createdAt.localeCompare(b.createdAt) || a.memberId.localeCompare(b.memberId));
  return {
    account: accountFromItem(accountItem),
    members,
    // Sort keys start with the ISO instant, so the Query order is the decision order.
    consents: bySk(CONSENT_SK_PREFIX).map(consentFromItem),
    privacyHistory: bySk(PRIVACY_SK_PREFIX).map((i) => ({ version: String(i.version), at: String(i.at) })),
  };
}

/** The household of an account (the representative first). Empty when the account does not exist. */
export async function listHousehold(accountId: string): Promise<HouseholdMember[]> {
  return (await loadAccountPartition(accountId))?.members ?? [];
}

/** What signing needs about one member: decrypted facts, name, masked ID — never the full number. */
export interface HouseholdMemberFacts extends PersonFacts {
  accountId: string;
  memberId: string;
  relation: Relation;
  /** The account holder (household representative, 甲方代表). */
  self: boolean;
  name: string;
  idNumberMasked: string;
  /**
   * Conditions/statuses are usable (health_conditions consent granted for the current text).
   * When false, `conditions` and `statuses` are empty: the member can still sign the basic package.
   */
  healthConsent: boolean;
}

/**
 * One member of the caller's household, decrypted. NotFoundError when the member is not in
 * this account's household; ForbiddenError (CONSENT_REQUIRED) when the id_number consent is not
 * current; ConflictError (IDENTITY_MISSING) when no ID number is held (withdrawn).
 */
export async function loadHouseholdMember(accountId: string, memberId: string): Promise<HouseholdMemberFacts> {
  return householdMemberFacts(await loadAccountPartition(accountId), accountId, memberId);
}

/**
 * Several members of one household with ONE partition Query (signing, quotes): the same checks
 * as loadHouseholdMember, in the order asked, plus the member's idHash (the key of the signing
 * lock; never put it in a response or a log) and the account item.
 */
export async function loadHouseholdMembers(
  accountId: string,
  memberIds: string[],
): Promise<{ account: AccountItem | undefined; representativeName: string | undefined; members: (HouseholdMemberFacts & { idHash: string })[] }> {
  const p = await loadAccountPartition(accountId);
  return {
    account: p?.account,
    representativeName: p?.members.find((m) => m.self)?.name,
    members: memberIds.map((id) => {
      const facts = householdMemberFacts(p, accountId, id);
      const m = p!.members.find((x) => x.memberId === id)!;
      return { ...facts, idHash: idNumberHash(m.idNumber!) };
    }),
  };
}

/** The checks and facts of loadHouseholdMember over an already loaded partition. */
export function householdMemberFacts(p: AccountPartition | undefined, accountId: string, memberId: string): HouseholdMemberFacts {
  const m = p?.members.find((x) => x.memberId === memberId);
  if (!p || !m) throw new NotFoundError('未找到该家庭成员', 'MEMBER_NOT_FOUND');
  const subject = m.self ? undefined : m.memberId;
  if (!m.idNumber || !m.birthDate || !m.sex || !m.idNumberMasked) {
    throw new ConflictError('IDENTITY_MISSING', `${m.name}尚未登记身份证号码，请先完善成员信息`);
  }
  if (!hasConsent(p.consents, 'id_number', subject)) {
    throw new ForbiddenError(`${m.name}的身份证号码处理未获同意，请先完成授权`, 'CONSENT_REQUIRED');
  }
  const healthConsent = hasConsent(p.consents, 'health_conditions', subject);
  return {
    accountId,
    memberId: m.memberId,
    relation: m.relation,
    self: m.self,
    name: m.name,
    idNumberMasked: m.idNumberMasked,
    birthDate: m.birthDate,
    sex: m.sex,
    conditions: healthConsent ? m.conditions : [],
    statuses: healthConsent ? m.statuses : [],
    insuredLocally: m.insuredLocally,
    localHukou: m.localHukou,
    healthConsent,
  };
}
