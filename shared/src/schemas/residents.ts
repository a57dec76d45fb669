/**
 * HTTP contracts of the Residents capability (login, consent, identity, household members),
 * shared by the handlers and the mini-program's API client.
 *
 * Every message a user can see is Simplified Chinese. Field schemas carry their own messages
 * (including "wrong type" ones), so they read well even where `installZhErrors()` has not been
 * called; `installZhErrors()` (./zod-zh) is the fallback for everything else. Both the handlers
 * (functions/src/http/with-http.ts) and the mini-program call it once at start.
 *
 * Checks that need today's date (birth date not in the future, residence permit not expired)
 * are not in the static schemas: the handler runs `identityIssuesOn` / `memberIssuesOn` with its
 * injected `today` (docs/decisions.md "Residents and identity").
 */
import * as z from 'zod';
import { isLocalDate, type LocalDate } from '../domain/dates';
import type { FieldIssue } from '../domain/errors';
import { CONDITIONS, STATUSES, type Condition, type Status } from '../domain/person';
import { maskIdNumber, validateIdNumber, validateIdNumberShape } from '../domain/identity/id-number';
import { CONSENT_PURPOSE_IDS } from '../domain/identity/consent';

/** Purposes a representative consents to when saving a household member (sms is account-level). */
export const MEMBER_CONSENT_PURPOSES = ['id_number', 'health_conditions'] as const;

export { installZhErrors, zodIssuesToFields, zhMessage } from './zod-zh';

type IssueLike = { code?: string; input?: unknown };

/** Message for a missing value or a value of the wrong JSON type; other issues fall through. */
function typeError(missing: string, wrong: string) {
  return (iss: IssueLike) => (iss.code === 'invalid_type' ? (iss.input === undefined ? missing : wrong) : undefined);
}

function text(label: string) {
  return z.string({ error: typeError(`请填写${label}`, `${label}格式有误，应为文本`) });
}

function bool(missing: string, label: string) {
  return z.boolean({ error: typeError(missing, `${label}应为是或否（true/false）`) });
}

function body<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.object(shape, { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') });
}

// ---------------------------------------------------------------- field schemas

/** Middle-dot look-alikes people type in minority and foreign names; stored as '·' (U+00B7). */
const DOT_LIKE = /[•・．.‧∙⋅]/g;
const NAME_RE = /^[\p{Script=Han}A-Za-z]+(?:[· ][\p{Script=Han}A-Za-z]+)*$/u;

/**
 * Real name as on the ID card: 2–30 characters (code points, so rare characters outside the
 * BMP count once), Chinese characters or Latin letters, parts joined by '·' or a single space.
 */
export const personName = text('姓名')
  .overwrite((s) => s.trim().replace(DOT_LIKE, '·').replace(/\s+/g, ' '))
  .superRefine((s, ctx) => {
    const len = [...s].length;
    if (len === 0) ctx.addIssue({ code: 'custom', message: '请填写姓名' });
    else if (len < 2) ctx.addIssue({ code: 'custom', message: '姓名至少2个字' });
    else if (len > 30) ctx.addIssue({ code: 'custom', message: '姓名不能超过30个字' });
    else if (!NAME_RE.test(s)) ctx.addIssue({ code: 'custom', message: '姓名只能包含汉字、字母和间隔号“·”' });
  });

/**
 * 18-character ID number (GB 11643), normalised (trimmed, upper-case X). Checks everything that
 * does not depend on today; the handler adds "birth date not in the future" (identityIssuesOn).
 */
export const idNumber = text('身份证号码')
  .trim()
  .toUpperCase()
  .superRefine((s, ctx) => {
    const r = validateIdNumberShape(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message, params: { code: r.code } });
  });

/** Mainland mobile number; spaces, dashes and a +86 prefix are dropped. */
export const mobile = text('手机号码')
  .overwrite((s) => s.replace(/[\s-]/g, '').replace(/^\+86/, ''))
  .regex(/^1[3-9]\d{9}$/, '请输入正确的11位手机号码');

export const localDateField = (label: string) =>
  text(label).refine((s) => isLocalDate(s), `${label}格式应为YYYY-MM-DD，且为有效日期`);

export const residencePermitNumber = text('居住证号码')
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z-]{6,40}$/, '居住证号码格式有误');

export const identityBasis = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('local_hukou') }),
    z.object({
      kind: z.literal('residence_permit'),
      permitNumber: residencePermitNumber,
      /** Must not be expired on the day of the request (checked by identityIssuesOn). */
      expiresOn: localDateField('居住证有效期'),
    }),
  ],
  { error: (iss: IssueLike) => (iss.code === 'invalid_type' && iss.input === undefined ? '请选择户籍类型' : '户籍类型应为本地户籍或居住证') },
);
export type IdentityBasis = z.infer<typeof identityBasis>;

export const RELATIONS = ['本人', '配偶', '子女', '父母', '其他'] as const;
export type Relation = (typeof RELATIONS)[number];

export const relation = z.enum(RELATIONS, {
  error: (iss: IssueLike) => (iss.input === undefined ? '请选择与您的关系' : '与您的关系应为本人、配偶、子女、父母或其他'),
});

const CONDITION_IDS = Object.keys(CONDITIONS) as [Condition, ...Condition[]];
const STATUS_IDS = Object.keys(STATUSES) as [Status, ...Status[]];

/** Declared health conditions (person.ts CONDITIONS), duplicates dropped. */
export const conditions = z
  .array(z.enum(CONDITION_IDS, { error: '健康状况选项无效' }), { error: typeError('请选择健康状况', '健康状况格式有误，应为列表') })
  .max(CONDITION_IDS.length, '健康状况选项过多')
  .transform((a) => [...new Set(a)]);

/** Declared special-population statuses (person.ts STATUSES), duplicates dropped. */
export const statuses = z
  .array(z.enum(STATUS_IDS, { error: '特殊人群身份选项无效' }), { error: typeError('请选择特殊人群身份', '特殊人群身份格式有误，应为列表') })
  .max(STATUS_IDS.length, '特殊人群身份选项过多')
  .transform((a) => [...new Set(a)]);

const insuredLocally = bool('请选择是否参加本地基本医疗保险', '是否参加本地基本医疗保险');
const localHukou = bool('请选择是否为本地户籍', '是否为本地户籍');

const opaqueId = (label: string) =>
  text(label)
    .min(1, `请填写${label}`)
    .max(64, `${label}格式有误`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label}格式有误`);

// ---------------------------------------------------------------- request bodies

/** POST /auth/wechat — the code from wx.login() (or `dev:<name>` on the local stack). */
export const authWechatBody = body({
  code: text('登录凭证').trim().min(1, '缺少登录凭证，请重新登录').max(256, '登录凭证无效，请重新登录'),
});
export type AuthWechatBody = z.infer<typeof authWechatBody>;

/** POST /me/consents — grant or withdraw one purpose, for oneself or (guardian) a member. */
export const consentBody = body({
  purpose: z.enum(CONSENT_PURPOSE_IDS, { error: '授权事项无效' }),
  version: text('授权版本').min(1, '请填写授权版本').max(32, '授权版本格式有误'),
  action: z.enum(['grant', 'withdraw'], { error: '操作应为同意或撤回' }),
  memberId: opaqueId('家庭成员编号').optional(),
});
export type ConsentBody = z.infer<typeof consentBody>;

/** POST /me/privacy — accept the privacy notice version the resident has read. */
export const privacyBody = body({
  version: text('隐私政策版本').min(1, '请填写隐私政策版本').max(32, '隐私政策版本格式有误'),
});
export type PrivacyBody = z.infer<typeof privacyBody>;

/**
 * Separate consents given for a member together with saving them (the member has no id before
 * the first save). For a member under 14 they are the guardian's consent (PIPL art. 31); for
 * older members the representative confirms the member agreed. Version = the text shown.
 */
export const memberConsentGrants = z
  .array(
    z.object({
      purpose: z.enum(MEMBER_CONSENT_PURPOSES, { error: '授权事项无效' }),
      version: text('授权版本').min(1, '请填写授权版本').max(32, '授权版本格式有误'),
    }),
    { error: typeError('请选择授权事项', '授权事项格式有误，应为列表') },
  )
  .max(MEMBER_CONSENT_PURPOSES.length, '授权事项过多');

/** PUT /me/identity — the account holder's real-name identity. */
export const identityBody = body({
  name: personName,
  idNumber,
  mobile,
  basis: identityBasis,
});
export type IdentityBody = z.infer<typeof identityBody>;

const memberShape = {
  relation,
  name: personName,
  idNumber,
  conditions,
  statuses,
  insuredLocally,
  localHukou,
};

/** POST /me/members — one member of the household register (户口簿). */
export const memberCreateBody = body({
  ...memberShape,
  conditions: conditions.default([]),
  statuses: statuses.default([]),
  consents: memberConsentGrants.default([]),
});
export type MemberCreateBody = z.infer<typeof memberCreateBody>;

/** PUT /me/members/{memberId} — any subset of the fields, at least one (consents alone do not count). */
export const memberUpdateBody = body({
  consents: memberConsentGrants.optional(),
  relation: relation.optional(),
  name: personName.optional(),
  idNumber: idNumber.optional(),
  conditions: conditions.optional(),
  statuses: statuses.optional(),
  insuredLocally: insuredLocally.optional(),
  localHukou: localHukou.optional(),
}).refine((b) => Object.entries(b).some(([k, v]) => k !== 'consents' && v !== undefined), { message: '没有需要修改的内容', path: [] });
export type MemberUpdateBody = z.infer<typeof memberUpdateBody>;

export const memberParams = z.object({ memberId: opaqueId('家庭成员编号') });

// ---------------------------------------------------------------- today-dependent checks

/** Field issues that need today's date; empty when the identity is acceptable today. */
export function identityIssuesOn(b: Pick<IdentityBody, 'idNumber' | 'basis'>, today: LocalDate): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const r = validateIdNumber(b.idNumber, today);
  if (!r.ok) issues.push({ path: 'idNumber', message: r.message });
  if (b.basis.kind === 'residence_permit' && b.basis.expiresOn < today) {
    issues.push({ path: 'basis.expiresOn', message: '居住证已过期，请更新居住证信息后再办理' });
  }
  return issues;
}

/** Field issues of a member create/update body that need today's date. */
export function memberIssuesOn(b: { idNumber?: string }, today: LocalDate): FieldIssue[] {
  if (b.idNumber === undefined) return [];
  const r = validateIdNumber(b.idNumber, today);
  return r.ok ? [] : [{ path: 'idNumber', message: r.message }];
}

// ---------------------------------------------------------------- responses (masked only)

/** `320481********1234`: responses never carry a full ID number. */
export const maskedIdNumber = z.string().regex(/^\d{6}\*{8}\d{3}[\dX]$/);

/** `138****5678` */
export function maskMobile(m: string): string {
  return /^\d{11}$/.test(m) ? `${m.slice(0, 3)}****${m.slice(7)}` : '*'.repeat(m.length);
}
export const maskedMobile = z.string().regex(/^1\d{2}\*{4}\d{4}$/);

export { maskIdNumber };

const sex = z.enum(['M', 'F']);
const isoDate = z.string().refine((s) => isLocalDate(s));
const instant = z.iso.datetime({ offset: true });

/*
 * Responses never carry a birth date next to a masked ID number: characters 7–14 of the number
 * ARE the birth date, so the two together would be the full number. They carry age and sex.
 */

export const authWechatResponse = z.object({
  token: z.string(),
  /** ISO instant. */
  expiresAt: instant,
  accountId: z.string(),
  /** The current privacy notice version has been accepted; the mini-program routes to it when false. */
  privacyAccepted: z.boolean(),
  /** Whether PUT /me/identity has been done; the mini-program routes to it when false. */
  hasIdentity: z.boolean(),
});
export type AuthWechatResponse = z.infer<typeof authWechatResponse>;

export const consentStateResponse = z.object({
  purpose: z.enum(CONSENT_PURPOSE_IDS),
  title: z.string(),
  currentVersion: z.string(),
  status: z.enum(['none', 'granted', 'withdrawn']),
  /** Granted for the current version (false when granted for an older text). */
  current: z.boolean(),
  version: z.string().optional(),
  at: z.string().optional(),
  memberId: z.string().optional(),
});
export type ConsentStateResponse = z.infer<typeof consentStateResponse>;

export const privacyStateResponse = z.object({
  currentVersion: z.string(),
  /** The current version has been accepted. */
  accepted: z.boolean(),
  acceptedVersion: z.string().nullable(),
  acceptedAt: instant.nullable(),
});
export type PrivacyStateResponse = z.infer<typeof privacyStateResponse>;

export const identityResponse = z.object({
  name: z.string(),
  /** Null after the id_number consent was withdrawn (the number is erased). */
  idNumberMasked: maskedIdNumber.nullable(),
  mobileMasked: maskedMobile,
  age: z.number().int().nullable(),
  sex: sex.nullable(),
  documentKind: z.enum(['resident_id', 'hk_macau_tw_permit']).nullable(),
  basis: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('local_hukou') }),
    z.object({ kind: z.literal('residence_permit'), permitNumberMasked: z.string(), expiresOn: isoDate }),
  ]),
});
export type IdentityResponse = z.infer<typeof identityResponse>;

export const memberResponse = z.object({
  memberId: z.string(),
  relation,
  /** The account holder (本人, household representative). */
  self: z.boolean(),
  name: z.string(),
  /** Null after the id_number consent for this member was withdrawn (the number is erased). */
  idNumberMasked: maskedIdNumber.nullable(),
  age: z.number().int().nullable(),
  sex: sex.nullable(),
  conditions: z.array(z.enum(CONDITION_IDS)),
  statuses: z.array(z.enum(STATUS_IDS)),
  insuredLocally: z.boolean(),
  localHukou: z.boolean(),
  /** Under 14 today: consents for this member are given by the guardian (PIPL art. 31). */
  guardianConsent: z.boolean(),
  /** id_number and health_conditions consent for this member. */
  consents: z.array(consentStateResponse),
});
export type MemberResponse = z.infer<typeof memberResponse>;

export const meResponse = z.object({
  accountId: z.string(),
  privacy: privacyStateResponse,
  identity: identityResponse.nullable(),
  /** The account holder's own consents (id_number, health_conditions, sms). */
  consents: z.array(consentStateResponse),
  household: z.object({
    /** The member record of the account holder (relation 本人), once identity is done. */
    representativeMemberId: z.string().nullable(),
    memberCount: z.number().int(),
  }),
  members: z.array(memberResponse),
});
export type MeResponse = z.infer<typeof meResponse>;

export const membersResponse = z.object({ members: z.array(memberResponse) });
export type MembersResponse = z.infer<typeof membersResponse>;

/** GET /me/data — everything we hold about the account (PIPL art. 45), sensitive values masked. */
export const dataExportResponse = z.object({
  generatedAt: instant,
  account: z.object({ accountId: z.string(), openid: z.string(), createdAt: instant, lastLoginAt: instant.nullable() }),
  privacy: privacyStateResponse,
  privacyHistory: z.array(z.object({ version: z.string(), at: instant })),
  identity: identityResponse.nullable(),
  members: z.array(
    memberResponse.extend({
      conditionLabels: z.array(z.string()),
      statusLabels: z.array(z.string()),
    }),
  ),
  consentRecords: z.array(
    z.object({
      purpose: z.enum(CONSENT_PURPOSE_IDS),
      version: z.string(),
      decision: z.enum(['granted', 'withdrawn']),
      at: instant,
      by: z.string(),
      onBehalfOf: z.string().optional(),
      role: z.enum(['self', 'guardian', 'representative']),
    }),
  ),
  /** What is held but not shown, and why. */
  notes: z.array(z.string()),
});
export type DataExportResponse = z.infer<typeof dataExportResponse>;
