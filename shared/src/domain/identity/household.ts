/**
 * Household decisions (户口簿 members signed for by the representative, 甲方代表): who consents
 * for whom, which consents a save needs, what a withdrawal erases. Pure: records, `today` and
 * `at` come in; new records or typed errors come out.
 *
 * zhangjiagang-2017 附件2/3: the household agreement lists members from the 户口簿 with their
 * relation to the representative; weihai-2023 §五(一): signing "以家庭为单位".
 */
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import type { LocalDate } from '../dates';
import {
  CONSENT_PURPOSES,
  hasConsent,
  needsGuardianConsent,
  type ConsentPurpose,
  type ConsentRecord,
} from './consent';

/** A household register rarely lists more; the cap stops abuse of the uniqueness namespace. */
export const MAX_HOUSEHOLD_MEMBERS = 20;

/** Who decided: the person themself, a guardian for a child under 14, or the representative attesting an older member's agreement. */
export type ConsentRole = 'self' | 'guardian' | 'representative';

export interface StoredConsentRecord extends ConsentRecord {
  role: ConsentRole;
}

export interface ConsentGrant {
  purpose: Extract<ConsentPurpose, 'id_number' | 'health_conditions'>;
  version: string;
}

/** A subject of consent: the account holder (`memberId` undefined) or a household member. */
export interface ConsentSubject {
  /** undefined = the account holder themself (records without `onBehalfOf`). */
  memberId?: string;
  /** Derived from the ID number; unknown (undefined) when none is held. */
  birthDate?: LocalDate;
}

export function consentRole(subject: ConsentSubject, today: LocalDate): ConsentRole {
  if (subject.memberId === undefined) return 'self';
  return subject.birthDate !== undefined && needsGuardianConsent(subject.birthDate, today) ? 'guardian' : 'representative';
}

/** Only the current text can be agreed to (PIPL art. 14: a changed purpose needs fresh consent). */
export function assertCurrentVersion(purpose: ConsentPurpose, version: string): void {
  if (CONSENT_PURPOSES[purpose].version !== version) {
    throw new ConflictError('CONSENT_VERSION_OUTDATED', '授权内容已更新，请重新阅读后再同意', [
      { path: 'version', message: '授权内容已更新，请重新阅读后再同意' },
    ]);
  }
}

const MISSING: Record<ConsentRole, Record<ConsentGrant['purpose'], string>> = {
  self: {
    id_number: '请先同意处理您的身份证号码（实名核验与签约）',
    health_conditions: '申报健康状况或特殊人群身份前，请先同意处理健康状况信息',
  },
  guardian: {
    id_number: '该成员不满14周岁，需由您作为监护人同意处理其身份证号码',
    health_conditions: '该成员不满14周岁，需由您作为监护人同意处理其健康状况信息',
  },
  representative: {
    id_number: '请确认该成员已同意处理其身份证号码',
    health_conditions: '请确认该成员已同意处理其健康状况与特殊人群身份信息',
  },
};

/**
 * The consent records a save adds (from `grants` given with it) after checking that every
 * purpose in `needs` is then granted for the subject. Throws ConflictError for an outdated
 * version and ForbiddenError (CONSENT_REQUIRED) for a missing consent, naming whose consent.
 */
export function consentsForSave(input: {
  records: readonly ConsentRecord[];
  subject: ConsentSubject;
  grants: readonly ConsentGrant[];
  needs: readonly ConsentGrant['purpose'][];
  accountId: string;
  today: LocalDate;
  at: string;
}): StoredConsentRecord[] {
  const role = consentRole(input.subject, input.today);
  const added: StoredConsentRecord[] = [];
  const seen = new Set<string>();
  for (const g of input.grants) {
    if (seen.has(g.purpose)) continue;
    seen.add(g.purpose);
    assertCurrentVersion(g.purpose, g.version);
    if (hasConsent(input.records, g.purpose, input.subject.memberId)) continue;
    added.push(grantRecord(g.purpose, g.version, input.accountId, input.subject, role, input.at));
  }
  const all = [...input.records, ...added];
  for (const p of input.needs) {
    if (!hasConsent(all, p, input.subject.memberId)) {
      throw new ForbiddenError(MISSING[role][p], 'CONSENT_REQUIRED');
    }
  }
  return added;
}

function grantRecord(purpose: ConsentPurpose, version: string, accountId: string, subject: ConsentSubject, role: ConsentRole, at: string): StoredConsentRecord {
  return {
    purpose,
    version,
    decision: 'granted',
    at,
    by: accountId,
    ...(subject.memberId !== undefined ? { onBehalfOf: subject.memberId } : {}),
    role,
  };
}

/** A grant or withdrawal through POST /me/consents. Withdrawing is always possible (PIPL art. 15). */
export function consentDecision(input: {
  purpose: ConsentPurpose;
  version: string;
  action: 'grant' | 'withdraw';
  subject: ConsentSubject;
  accountId: string;
  today: LocalDate;
  at: string;
}): StoredConsentRecord {
  if (input.subject.memberId !== undefined && input.purpose === 'sms') {
    throw new ValidationError({ path: 'purpose', message: '短信通知只能由账号本人授权' });
  }
  const role = consentRole(input.subject, input.today);
  if (input.action === 'grant') {
    assertCurrentVersion(input.purpose, input.version);
    return grantRecord(input.purpose, input.version, input.accountId, input.subject, role, input.at);
  }
  return {
    purpose: input.purpose,
    version: input.version,
    decision: 'withdrawn',
    at: input.at,
    by: input.accountId,
    ...(input.subject.memberId !== undefined ? { onBehalfOf: input.subject.memberId } : {}),
    role,
  };
}

/**
 * What a withdrawal erases for its subject (docs/decisions.md "Withdrawal"): processing stops
 * and the data the consent covered is deleted — the ID number (with its uniqueness claim) for
 * `id_number`, the declared conditions and statuses for `health_conditions`. `sms` erases
 * nothing (the mobile number is needed for the account).
 */
export function withdrawalErases(purpose: ConsentPurpose): { idNumber: boolean; health: boolean } {
  return { idNumber: purpose === 'id_number', health: purpose === 'health_conditions' };
}

/** The purposes a member save needs: the ID number always, health only when something is declared. */
export function memberSaveNeeds(declared: { conditions: readonly string[]; statuses: readonly string[] }): ConsentGrant['purpose'][] {
  return declared.conditions.length > 0 || declared.statuses.length > 0 ? ['id_number', 'health_conditions'] : ['id_number'];
}

/** `本人` is the account holder's own record; nobody else can take that relation, and it cannot change. */
export function assertRelation(relation: string, isSelf: boolean): void {
  if (isSelf && relation !== '本人') {
    throw new ValidationError({ path: 'relation', message: '账号本人的关系固定为“本人”' });
  }
  if (!isSelf && relation === '本人') {
    throw new ValidationError({ path: 'relation', message: '“本人”是账号持有人，请为家庭成员选择其他关系' });
  }
}

/** The current privacy notice must be accepted before any personal data is collected (PIPL art. 17). */
export function assertPrivacyAccepted(acceptedVersion: string | undefined, currentVersion: string): void {
  if (acceptedVersion === currentVersion) return;
  throw new ForbiddenError(
    acceptedVersion ? '隐私政策已更新，请重新阅读并同意后继续' : '请先阅读并同意隐私政策，再填写个人信息',
    'PRIVACY_NOTICE_REQUIRED',
  );
}
