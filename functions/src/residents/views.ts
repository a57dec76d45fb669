/**
 * Response shapes of the Residents API (shared/src/schemas/residents.ts): masked numbers, age and
 * sex — never a full ID number and never a birth date next to a masked number.
 */
import { ageOn, type LocalDate } from '@jiayi/shared/domain/dates';
import { CONSENT_PURPOSES, consentState, needsGuardianConsent, PRIVACY_NOTICE, type ConsentPurpose } from '@jiayi/shared/domain/identity/consent';
import type { StoredConsentRecord } from '@jiayi/shared/domain/identity/household';
import { CONDITIONS, STATUSES } from '@jiayi/shared/domain/person';
import type {
  ConsentStateResponse,
  DataExportResponse,
  IdentityResponse,
  MemberResponse,
  MeResponse,
  PrivacyStateResponse,
} from '@jiayi/shared/schemas/residents';
import type { AccountPartition } from '../db/household.repo';
import type { HouseholdMember } from '../db/members.repo';

export function consentView(records: readonly StoredConsentRecord[], purpose: ConsentPurpose, memberId?: string): ConsentStateResponse {
  const s = consentState(records, purpose, memberId);
  return {
    purpose,
    title: CONSENT_PURPOSES[purpose].title,
    currentVersion: CONSENT_PURPOSES[purpose].version,
    status: s.status,
    current: s.status === 'granted' && s.current,
    ...(s.status !== 'none' ? { version: s.version, at: s.at } : {}),
    ...(memberId ? { memberId } : {}),
  };
}

export function memberView(m: HouseholdMember, records: readonly StoredConsentRecord[], today: LocalDate): MemberResponse {
  const subject = m.self ? undefined : m.memberId;
  return {
    memberId: m.memberId,
    relation: m.relation,
    self: m.self,
    name: m.name,
    idNumberMasked: m.idNumberMasked,
    age: m.birthDate ? ageOn(m.birthDate, today) : null,
    sex: m.sex,
    conditions: m.conditions,
    statuses: m.statuses,
    insuredLocally: m.insuredLocally,
    localHukou: m.localHukou,
    guardianConsent: !m.self && m.birthDate !== null && needsGuardianConsent(m.birthDate, today),
    consents: (['id_number', 'health_conditions'] as const).map((p) => consentView(records, p, subject)),
  };
}

export function privacyView(p: AccountPartition): PrivacyStateResponse {
  return {
    currentVersion: PRIVACY_NOTICE.version,
    accepted: p.account.privacyVersion === PRIVACY_NOTICE.version,
    acceptedVersion: p.account.privacyVersion ?? null,
    acceptedAt: p.account.privacyAcceptedAt ?? null,
  };
}

export function identityView(p: AccountPartition, today: LocalDate): IdentityResponse | null {
  const self = p.members.find((m) => m.self);
  const { account } = p;
  if (!self || !account.basis || !account.mobileMasked) return null;
  return {
    name: self.name,
    idNumberMasked: self.idNumberMasked,
    mobileMasked: account.mobileMasked,
    age: self.birthDate ? ageOn(self.birthDate, today) : null,
    sex: self.sex,
    documentKind: self.documentKind,
    basis:
      account.basis.kind === 'local_hukou'
        ? { kind: 'local_hukou' }
        : { kind: 'residence_permit', permitNumberMasked: account.basis.permitNumberMasked, expiresOn: account.basis.expiresOn },
  };
}

export function meView(p: AccountPartition, today: LocalDate): MeResponse {
  return {
    accountId: p.account.accountId,
    privacy: privacyView(p),
    identity: identityView(p, today),
    consents: (['id_number', 'health_conditions', 'sms'] as const).map((purpose) => consentView(p.consents, purpose)),
    household: { representativeMemberId: p.account.selfMemberId ?? null, memberCount: p.members.length },
    members: p.members.map((m) => memberView(m, p.consents, today)),
  };
}

export function exportView(p: AccountPartition, today: LocalDate, now: Date): DataExportResponse {
  return {
    generatedAt: now.toISOString(),
    account: {
      accountId: p.account.accountId,
      openid: p.account.openid,
      createdAt: p.account.createdAt,
      lastLoginAt: p.account.lastLoginAt ?? null,
    },
    privacy: privacyView(p),
    privacyHistory: p.privacyHistory,
    identity: identityView(p, today),
    members: p.members.map((m) => ({
      ...memberView(m, p.consents, today),
      conditionLabels: m.conditions.map((c) => CONDITIONS[c]),
      statusLabels: m.statuses.map((s) => STATUSES[s]),
    })),
    consentRecords: p.consents.map((c) => ({
      purpose: c.purpose,
      version: c.version,
      decision: c.decision,
      at: c.at,
      by: c.by,
      ...(c.onBehalfOf ? { onBehalfOf: c.onBehalfOf } : {}),
      role: c.role,
    })),
    notes: [
      '身份证号码、居住证号码和手机号码加密保存，此处只显示部分号码；出生日期、性别和年龄由身份证号码推算，不单独保存。',
      '健康状况与特殊人群身份加密保存；撤回相应授权后即删除。',
      '微信登录会话密钥（session_key）加密保存，仅用于微信接口解密，不向任何人提供。',
    ],
  };
}
