/**
 * HTTP contracts of Signing and payments (GitHub issue 5): the agreement view, the sign request,
 * the transition requests (pay, change team, terminate, renew), the household quote for the
 * caller's own members, eligibility, the agreement document and institution receivables.
 * Shared by the handlers (functions/src/agreements) and the mini-program's API client.
 *
 * Money is integer fen. Dates are Asia/Shanghai LocalDate strings; instants are ISO timestamps.
 * Responses never carry a full ID number, a birth date next to a masked number, an ID hash or a
 * health condition: members show masked number, sex and a coarse age group.
 */
import * as z from 'zod';
import { isLocalDate } from '../domain/dates';
import { PAYER_CODES, PAYERS, REGION_IDS, TERMINATION_REASONS, type Payer, type RegionId, type TerminationReason } from '../domain/policy/types';
import { quoteResponseSchema } from './policy';

type IssueLike = { code?: string; input?: unknown };
function typeError(missing: string, wrong: string) {
  return (iss: IssueLike) => (iss.code === 'invalid_type' ? (iss.input === undefined ? missing : wrong) : undefined);
}
function text(label: string) {
  return z.string({ error: typeError(`请填写${label}`, `${label}格式有误，应为文本`) });
}
function body<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.object(shape, { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') });
}

const opaqueId = (label: string) =>
  text(label)
    .min(1, `请填写${label}`)
    .max(64, `${label}格式有误`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label}格式有误`);

const localDate = z.string().refine((s) => isLocalDate(s), '日期格式应为YYYY-MM-DD');
const instant = z.string();
const fen = z.number().int().nonnegative();
const payer = z.enum(PAYER_CODES as [Payer, ...Payer[]]);
const payerAmounts = z.record(payer, fen);

export const regionId = z.enum(REGION_IDS as [RegionId, ...RegionId[]], {
  error: (iss: IssueLike) => (iss.input === undefined ? '请选择地区' : '不支持的地区'),
});

// ---------------------------------------------------------------- statuses

/**
 * Agreement lifecycle (docs/signing.md has the state machine):
 * - pending_payment: signed, the resident owes money; places are held until `pendingExpiresAt`.
 * - active: in force (paid, or nothing to pay). Holds the members' places in the team.
 * - scheduled: a confirmed renewal for the next cycle; takes over the places when the current
 *   cycle ends (it holds no places of its own before that).
 * - expired: the cycle ended without renewal.
 * - terminated: ended early (termination reason, refund).
 * - cancelled: never took effect (unpaid in time, or a renewal that was not paid).
 * - changed: replaced by an agreement with another team (change of team).
 */
export const AGREEMENT_STATUSES = {
  pending_payment: '待支付',
  active: '生效中',
  scheduled: '已续约（待生效）',
  expired: '已到期',
  terminated: '已解约',
  cancelled: '已取消',
  changed: '已变更团队',
} as const;
export type AgreementStatus = keyof typeof AGREEMENT_STATUSES;
export const AGREEMENT_STATUS_CODES = Object.keys(AGREEMENT_STATUSES) as AgreementStatus[];
export const agreementStatus = z.enum(AGREEMENT_STATUS_CODES as [AgreementStatus, ...AgreementStatus[]], { error: '协议状态无效' });

/** Coarse age group kept on the agreement instead of a birth date (tip targeting, reports). */
export const AGE_GROUPS = { child_0_6: '0-6岁', minor_7_17: '7-17岁', adult_18_64: '18-64岁', elderly_65: '65岁及以上' } as const;
export type AgeGroup = keyof typeof AGE_GROUPS;
export const ageGroup = z.enum(Object.keys(AGE_GROUPS) as [AgeGroup, ...AgeGroup[]]);

export const HISTORY_ACTIONS = {
  signed: '签约',
  paid: '支付完成',
  activated: '协议生效',
  payment_expired: '超时未支付，协议取消',
  cancelled: '居民取消签约',
  reactivated: '超时后支付，协议恢复生效',
  late_payment_refunded: '超时后支付，名额已释放，款项原路退回',
  renewal_signed: '办理续约',
  renewed: '续约生效',
  auto_renewed: '自动续约',
  fell_back_to_free: '转为不收费签约（基本服务）',
  renewal_cancelled: '续约未支付，已取消',
  team_changed: '变更团队',
  terminated: '解约',
  refunded: '退费',
  expired: '服务周期届满',
} as const;
export type HistoryAction = keyof typeof HISTORY_ACTIONS;

// ---------------------------------------------------------------- requests

const packageCodes = z
  .array(text('服务包').min(1, '请选择服务包').max(64, '服务包代码格式有误'), { error: typeError('请选择服务包', '服务包格式有误，应为列表') })
  .max(10, '每位成员最多选择10个服务包')
  .transform((a) => [...new Set(a)]);

const signingKind = z.enum(['free', 'paid'], { error: '签约类型应为不收费签约或收费签约' });

export const memberSelection = z.object(
  {
    memberId: opaqueId('家庭成员编号'),
    /** Chosen packages; the region's basic package is always added (every signed resident holds it). */
    packageCodes,
    /** yongkang 不收费签约 / 收费签约; other regions leave it out. */
    signingKind: signingKind.optional(),
  },
  { error: typeError('请选择签约成员', '签约成员格式有误') },
);
export type MemberSelectionBody = z.infer<typeof memberSelection>;

function uniqueMembers<T extends { memberId: string }>(members: T[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  members.forEach((m, i) => {
    if (seen.has(m.memberId)) ctx.addIssue({ code: 'custom', path: ['members', i, 'memberId'], message: '同一成员不能重复选择' });
    seen.add(m.memberId);
  });
}

const members = z
  .array(memberSelection, { error: typeError('请选择签约成员', '签约成员格式有误，应为列表') })
  .min(1, '请至少选择一位签约成员')
  .max(10, '一份协议最多包含10位家庭成员');

/** A client-chosen key, one per "sign" tap: a retried request returns the same agreement. */
export const idempotencyKey = text('请求编号')
  .min(8, '请求编号至少8位')
  .max(64, '请求编号不能超过64位')
  .regex(/^[A-Za-z0-9_-]+$/, '请求编号只能包含字母、数字、-和_');

/**
 * POST /agreements — the household representative (the caller) signs for members of their own
 * household with one team. Prices are never taken from the client: the server re-quotes.
 */
export const signBody = body({
  teamId: opaqueId('签约团队'),
  members,
  /** Version of the agreement text the resident read and agreed to (GET /agreement-text). */
  agreementTextVersion: text('协议文本版本').min(1, '请阅读并同意签约协议').max(32, '协议文本版本格式有误'),
  idempotencyKey,
}).superRefine((b, ctx) => uniqueMembers(b.members, ctx));
export type SignBody = z.infer<typeof signBody>;

/** POST /me/quote — the live price breakdown for the caller's own members (facts from the store). */
export const meQuoteBody = body({
  regionId,
  members,
}).superRefine((b, ctx) => uniqueMembers(b.members, ctx));
export type MeQuoteBody = z.infer<typeof meQuoteBody>;
/** Same as the policy engine's quote response (shared/src/schemas/policy.ts). */
export const meQuoteResponse = quoteResponseSchema;

/** POST /agreements/{id}/change-team */
export const changeTeamBody = body({
  teamId: opaqueId('新的签约团队'),
  reason: text('变更原因')
    .trim()
    .min(2, '请填写变更原因（至少2个字）')
    .max(200, '变更原因不能超过200个字'),
});
export type ChangeTeamBody = z.infer<typeof changeTeamBody>;

const terminationReason = z.enum(Object.keys(TERMINATION_REASONS) as [TerminationReason, ...TerminationReason[]], {
  error: (iss: IssueLike) => (iss.input === undefined ? '请选择解约原因' : '解约原因无效'),
});

/** POST /agreements/{id}/terminate — after reading GET /agreements/{id}/refund-preview. */
export const terminateBody = body({
  reason: terminationReason,
  note: text('补充说明').trim().max(200, '补充说明不能超过200个字').optional(),
  /** The refund the resident saw in the preview; a different current figure answers 409 so they can look again. */
  expectedRefundFen: fen.optional(),
});
export type TerminateBody = z.infer<typeof terminateBody>;

export const refundPreviewQuery = z.object({ reason: terminationReason.optional() });

/** POST /agreements/{id}/renew — within the policy's renewal window. */
export const renewBody = body({
  /** weihai: a renewal may run 1–3 years. */
  termYears: z.number({ error: '续约年限须为数字' }).int('续约年限须为整数').min(1, '续约年限至少1年').max(3, '续约年限最多3年').optional(),
  idempotencyKey,
});
export type RenewBody = z.infer<typeof renewBody>;

export const agreementParams = z.object({ id: opaqueId('协议编号') });
export const memberIdParams = z.object({ id: opaqueId('家庭成员编号') });
export const eligibleQuery = z.object({ regionId, signingKind: signingKind.optional() });
export const agreementTextQuery = z.object({ regionId });

export const teamAgreementsQuery = z.object({
  status: agreementStatus.optional(),
  cursor: z.string().max(2000, '分页参数有误').optional(),
  limit: z.coerce.number({ error: '每页数量须为数字' }).int().min(1).max(100).default(50),
});

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为YYYY-MM');
export const receivablesQuery = z.object({ month });
export const institutionParams = z.object({ id: opaqueId('医疗机构编号') });

// ---------------------------------------------------------------- responses

export const promisedItemView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['count', 'on_demand', 'ongoing', 'schedule', 'unspecified']),
  /** Promised count per `per` (null when the seed promises no number). */
  quantity: z.number().int().positive().nullable(),
  per: z.enum(['year', 'quarter', 'month', 'stage']).nullable(),
  bound: z.enum(['exact', 'atLeast', 'atMost']),
  unit: z.string(),
  /** Units this package promises for the cycle (what fulfilment and refunds count against). */
  promisedUnits: z.number().int().nonnegative(),
  includedFromBasic: z.number().int().positive().nullable(),
  unitValueFen: fen.nullable(),
  frequencyText: z.string().nullable(),
});
export type PromisedItemView = z.infer<typeof promisedItemView>;

export const payerShareView = z.object({ payer, label: z.string(), amountFen: fen });

export const agreementPackageView = z.object({
  code: z.string(),
  name: z.string(),
  category: z.enum(['basic', 'population', 'personalized']),
  priceFen: fen,
  byPayer: payerAmounts,
  shares: z.array(payerShareView),
  autoIncluded: z.boolean(),
  notes: z.array(z.string()),
  items: z.array(promisedItemView),
});
export type AgreementPackageView = z.infer<typeof agreementPackageView>;

export const agreementMemberView = z.object({
  memberId: z.string(),
  name: z.string(),
  relation: z.string(),
  /** `320481********123X` */
  idNumberMasked: z.string(),
  sex: z.enum(['M', 'F']),
  ageGroup,
  signingKind: z.enum(['free', 'paid']),
  packages: z.array(agreementPackageView),
  byPayer: payerAmounts,
  totalFen: fen,
});
export type AgreementMemberView = z.infer<typeof agreementMemberView>;

export const PAYMENT_STATUSES = {
  created: '待支付',
  paid: '已支付',
  refund_pending: '退款处理中',
  refunded: '已退款',
  closed: '已关闭',
} as const;
export type PaymentStatus = keyof typeof PAYMENT_STATUSES;

export const paymentView = z.object({
  outTradeNo: z.string(),
  amountFen: fen,
  status: z.enum(Object.keys(PAYMENT_STATUSES) as [PaymentStatus, ...PaymentStatus[]]),
  statusLabel: z.string(),
  transactionId: z.string().nullable(),
  paidAt: instant.nullable(),
  refundedFen: fen,
  history: z.array(z.object({ at: instant, status: z.string(), note: z.string().optional() })),
});
export type PaymentView = z.infer<typeof paymentView>;

export const refundView = z.object({
  outRefundNo: z.string(),
  amountFen: fen,
  status: z.string(),
  reason: z.string(),
  at: instant,
});

export const historyEntryView = z.object({
  at: instant,
  by: z.object({ kind: z.enum(['resident', 'staff', 'system', 'payment']), id: z.string() }),
  action: z.string(),
  actionLabel: z.string(),
  from: agreementStatus.nullable(),
  to: agreementStatus.nullable(),
  reason: z.string().nullable(),
});
export type HistoryEntryView = z.infer<typeof historyEntryView>;

export const agreementView = z.object({
  id: z.string(),
  status: agreementStatus,
  statusLabel: z.string(),
  regionId,
  policyVersion: z.string(),
  /** Agreement kind for renewal rules: paid when a personalized package carries a fee. */
  signingKind: z.enum(['free', 'paid']),
  team: z.object({ id: z.string(), name: z.string(), institutionId: z.string(), institutionName: z.string() }),
  /** 甲方代表: the account holder who signed. */
  representative: z.object({ accountId: z.string(), name: z.string() }),
  cycle: z.object({ start: localDate, end: localDate }),
  members: z.array(agreementMemberView),
  price: z.object({
    totalFen: fen,
    byPayer: payerAmounts,
    byPayerGroup: z.record(z.string(), fen),
    /** What the resident pays through WeChat Pay (0 → active at once). */
    residentDueFen: fen,
  }),
  consent: z.object({ agreementTextVersion: z.string(), at: instant }),
  /** Until when an unpaid agreement holds its places (null unless pending_payment). */
  pendingExpiresAt: instant.nullable(),
  payments: z.array(paymentView),
  refunds: z.array(refundView),
  history: z.array(historyEntryView),
  previousAgreementId: z.string().nullable(),
  nextAgreementId: z.string().nullable(),
  createdAt: instant,
  activatedAt: instant.nullable(),
  endedAt: instant.nullable(),
  /** What the caller may do now (buttons of the mini-program). */
  actions: z.object({ pay: z.boolean(), terminate: z.boolean(), changeTeam: z.boolean(), renew: z.boolean(), document: z.boolean() }),
});
export type AgreementView = z.infer<typeof agreementView>;

export const agreementListResponse = z.object({ agreements: z.array(agreementView) });

/** POST /agreements answers 201 (created) or 200 (idempotent replay) with the agreement. */
export const signResponse = agreementView;

/** POST /agreements/{id}/pay — pass `requestPayment` to wx.requestPayment (unless `simulated`). */
export const payResponse = z.object({
  agreementId: z.string(),
  outTradeNo: z.string(),
  amountFen: fen,
  expiresAt: instant,
  requestPayment: z.object({
    timeStamp: z.string(),
    nonceStr: z.string(),
    package: z.string(),
    signType: z.literal('RSA'),
    paySign: z.string(),
    /** Simulated provider (local stack): do not call wx.requestPayment; call POST /payments/simulate/{agreementId}. */
    simulated: z.literal(true).optional(),
  }),
});
export type PayResponse = z.infer<typeof payResponse>;

export const refundPreviewResponse = z.object({
  agreementId: z.string(),
  reason: z.string().nullable(),
  allowed: z.boolean(),
  requiresVerification: z.boolean(),
  /** Chinese: the region's termination rule, or why this reason is not allowed. */
  message: z.string(),
  residentPaidFen: fen,
  refundFen: fen,
  members: z.array(
    z.object({
      memberId: z.string(),
      name: z.string(),
      residentPaidFen: fen,
      refundFen: fen,
      packages: z.array(z.object({ code: z.string(), residentShareFen: fen, deliveredValueFen: fen, residentDeductionFen: fen, refundFen: fen })),
    }),
  ),
  notes: z.array(z.string()),
});
export type RefundPreviewResponse = z.infer<typeof refundPreviewResponse>;

export const eligiblePackagesResponse = z.object({
  memberId: z.string(),
  regionId,
  policyVersion: z.string(),
  /** False when the member's health information may not be used (no consent): only packages not needing it show as eligible. */
  healthConsent: z.boolean(),
  packages: z.array(
    z.object({
      packageCode: z.string(),
      packageName: z.string(),
      category: z.enum(['basic', 'population', 'personalized']),
      eligible: z.boolean(),
      reasons: z.array(z.string()),
      needsInstitutionValues: z.boolean(),
    }),
  ),
});
export type EligiblePackagesResponse = z.infer<typeof eligiblePackagesResponse>;

export const documentSection = z.object({
  heading: z.string(),
  paragraphs: z.array(z.string()),
  table: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
});
export type DocumentSection = z.infer<typeof documentSection>;

/** GET /agreements/{id}/document (and GET /agreement-text for the template before signing). */
export const agreementDocument = z.object({
  agreementId: z.string().nullable(),
  title: z.string(),
  agreementTextVersion: z.string(),
  sections: z.array(documentSection),
  /** The same content as plain text (for sharing / printing). */
  text: z.string(),
});
export type AgreementDocument = z.infer<typeof agreementDocument>;

export const receivableView = z.object({
  agreementId: z.string(),
  teamId: z.string(),
  activatedAt: instant,
  memberCount: z.number().int(),
  byPayer: payerAmounts,
  byPayerGroup: z.record(z.string(), fen),
  /** Collected from the resident through WeChat Pay (not a receivable). */
  residentPaidFen: fen,
  /** Fund shares still to collect (everything except the resident). */
  receivableFen: fen,
});
export const receivablesResponse = z.object({
  institutionId: z.string(),
  month: z.string(),
  items: z.array(receivableView),
  totals: z.object({ byPayer: payerAmounts, byPayerGroup: z.record(z.string(), fen), receivableFen: fen, residentPaidFen: fen }),
  payerLabels: z.record(payer, z.string()),
});
export type ReceivablesResponse = z.infer<typeof receivablesResponse>;

export const teamAgreementsResponse = z.object({ agreements: z.array(agreementView), cursor: z.string().nullable() });

export { PAYERS };
