/**
 * HTTP contracts of the health-knowledge push (GitHub issue 7): the tip library (staff), the
 * resident's subscribe-message credits and the quarterly compliance report. The inbox itself
 * (GET /me/messages) is schemas/messages.ts; a tip message's `body` is the tip's safe HTML.
 * Shared by the handlers and the mini-program's API client. Messages are Simplified Chinese.
 */
import * as z from 'zod';
import { isLocalDate, isQuarter } from '../domain/dates';
import { CONDITIONS, type Condition } from '../domain/person';
import { TIP_CATEGORIES, TIP_CATEGORY_CODES, type TipCategory } from '../domain/push/targeting';
import { parseTipHtml, tipPlainText } from '../domain/push/rich-text';
import { AGE_GROUPS, type AgeGroup } from './agreements';

type IssueLike = { code?: string; input?: unknown };
const typeError = (missing: string, wrong: string) => (iss: IssueLike) =>
  iss.code === 'invalid_type' ? (iss.input === undefined ? missing : wrong) : undefined;

const localDate = (label: string) =>
  z.string({ error: typeError(`请填写${label}`, `${label}格式有误`) }).refine((s) => isLocalDate(s), `${label}格式应为YYYY-MM-DD`);

export const TIP_STATUSES = { draft: '草稿', approved: '已审核发布', retired: '已停用' } as const;
export type TipStatus = keyof typeof TIP_STATUSES;
export const tipStatus = z.enum(Object.keys(TIP_STATUSES) as [TipStatus, ...TipStatus[]], { error: '知识状态无效' });

export const tipCategory = z.enum(TIP_CATEGORY_CODES as [TipCategory, ...TipCategory[]], {
  error: (iss: IssueLike) => (iss.input === undefined ? '请选择知识分类' : '知识分类无效（日常健康、疾病预防、养生保健、中医药）'),
});

const conditionCodes = Object.keys(CONDITIONS) as [Condition, ...Condition[]];
const ageGroupCodes = Object.keys(AGE_GROUPS) as [AgeGroup, ...AgeGroup[]];

/** Tip bodies: at most this many visible characters after sanitising. */
export const TIP_BODY_MAX_CHARS = 3000;

/** POST /tips and PUT /tips/{id} (drafts only). The body is HTML or plain text; the server keeps the safe subset. */
export const tipBody = z
  .object(
    {
      title: z
        .string({ error: typeError('请填写标题', '标题格式有误') })
        .trim()
        .min(2, '标题至少2个字')
        .max(40, '标题不能超过40个字'),
      body: z
        .string({ error: typeError('请填写正文', '正文格式有误') })
        .max(20_000, '正文过长')
        .refine((s) => tipPlainText(parseTipHtml(s)).trim().length > 0, '请填写正文')
        .refine((s) => tipPlainText(parseTipHtml(s)).length <= TIP_BODY_MAX_CHARS, `正文不能超过${TIP_BODY_MAX_CHARS}字`),
      category: tipCategory,
      ageGroups: z.array(z.enum(ageGroupCodes, { error: '适用年龄段无效' }), { error: '适用年龄段格式有误' }).max(4).default([]),
      conditions: z.array(z.enum(conditionCodes, { error: '适用人群（健康状况）无效' }), { error: '适用人群格式有误' }).max(10).default([]),
      packageCodes: z
        .array(z.string().min(1, '服务包代码不能为空').max(64, '服务包代码格式有误'), { error: '适用服务包格式有误' })
        .max(20, '最多选择20个服务包')
        .default([]),
      publishFrom: localDate('发布开始日期'),
      publishTo: localDate('发布结束日期').nullable().optional(),
    },
    { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') },
  )
  .superRefine((b, ctx) => {
    if (b.publishTo && b.publishTo < b.publishFrom) ctx.addIssue({ code: 'custom', path: ['publishTo'], message: '发布结束日期不能早于开始日期' });
  });
export type TipBody = z.infer<typeof tipBody>;

export const textRun = z.object({ text: z.string(), bold: z.literal(true).optional() });
export const tipBlock = z.union([
  z.object({ type: z.literal('p'), runs: z.array(textRun) }),
  z.object({ type: z.enum(['ul', 'ol']), items: z.array(z.array(textRun)) }),
]);

export const tipView = z.object({
  id: z.string(),
  /** A region id, or `all` for the platform's starter library (全国通用). */
  regionId: z.string(),
  institutionId: z.string().nullable(),
  title: z.string(),
  bodyHtml: z.string(),
  blocks: z.array(tipBlock),
  category: tipCategory,
  categoryName: z.string(),
  ageGroups: z.array(z.string()),
  conditions: z.array(z.string()),
  packageCodes: z.array(z.string()),
  publishFrom: z.string(),
  publishTo: z.string().nullable(),
  status: tipStatus,
  statusName: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  /** The caller may approve / retire it (console buttons). */
  canApprove: z.boolean(),
  canRetire: z.boolean(),
});
export type TipView = z.infer<typeof tipView>;

export const tipsQuery = z.object({ status: tipStatus.optional() });
export const tipsResponse = z.object({ tips: z.array(tipView) });
export const tipResponse = z.object({ tip: tipView });
export const tipIdParams = z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, '知识编号格式有误') });
export const retireBody = z.object({ reason: z.string().trim().max(200, '停用原因不能超过200字').optional() }).default({});

// ---------------------------------------------------------------- subscriptions

export const SUBSCRIPTION_SOURCES = { after_sign: '签约后', after_pay: '支付后', after_booking: '预约后', button: '订阅健康提醒按钮' } as const;
export type SubscriptionSource = keyof typeof SUBSCRIPTION_SOURCES;

/** POST /me/subscriptions — one `wx.requestSubscribeMessage` answer for one template. */
export const subscriptionBody = z.object(
  {
    templateId: z
      .string({ error: typeError('请提供订阅模板', '订阅模板格式有误') })
      .min(1, '请提供订阅模板')
      .max(64, '订阅模板格式有误')
      .regex(/^[A-Za-z0-9_-]+$/, '订阅模板格式有误'),
    accepted: z.boolean({ error: typeError('请说明是否同意订阅', '是否同意订阅应为true或false') }),
    source: z.enum(Object.keys(SUBSCRIPTION_SOURCES) as [SubscriptionSource, ...SubscriptionSource[]], { error: '订阅来源无效' }),
  },
  { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') },
);
export type SubscriptionBody = z.infer<typeof subscriptionBody>;

export const subscriptionState = z.object({ templateId: z.string(), credits: z.number().int().nonnegative(), longTerm: z.boolean() });
export const subscriptionsResponse = z.object({
  /** The health-tip template the mini-program asks the resident to accept. */
  tipTemplateId: z.string(),
  subscriptions: z.array(subscriptionState),
});

// ---------------------------------------------------------------- the library for residents

/** An approved tip that fits someone in the resident's household (健康知识 "为您推荐"; GET /me/tips). */
export const libraryTipView = z.object({
  id: z.string(),
  title: z.string(),
  category: tipCategory,
  categoryName: z.string(),
  /** The safe HTML subset (shared/src/domain/push/rich-text.ts). */
  bodyHtml: z.string(),
  /** Who it is for, in plain words (适合65岁及以上老年人 / 适合所有居民 …). */
  audience: z.string(),
  /** The household members it fits (names only). */
  forMembers: z.array(z.object({ memberId: z.string(), name: z.string() })),
});
export type LibraryTipView = z.infer<typeof libraryTipView>;
export const libraryTipsResponse = z.object({ tips: z.array(libraryTipView) });
export const libraryTipResponse = z.object({ tip: libraryTipView });

// ---------------------------------------------------------------- compliance report

export const complianceQuery = z.object({
  regionId: z.string({ error: '请选择地区' }).min(1, '请选择地区').max(64),
  quarter: z.string({ error: '请选择季度' }).refine((q) => isQuarter(q), '季度格式应为如2026Q4'),
});

const channelFigures = z.object({ sent: z.number().int(), failed: z.number().int() });
export const complianceTeamRow = z.object({
  teamId: z.string(),
  institutionId: z.string(),
  signedResidents: z.number().int(),
  residentsWithTip: z.number().int(),
  residentsWithout: z.number().int(),
  residentsPending: z.number().int(),
  residentsMissed: z.number().int(),
});
export const complianceResponse = z.object({
  regionId: z.string(),
  quarter: z.string(),
  /** Scope of the figures: the whole region or one institution's teams. */
  institutionId: z.string().nullable(),
  /** The planner run the signed-resident figures come from (null before the first run); `audit` = the closing count after the quarter ended. */
  lastRun: z.object({ runId: z.string(), at: z.string(), mode: z.enum(['plan', 'audit']) }).nullable(),
  /** upcoming / open (through its last day, Asia/Shanghai) / closed. */
  phase: z.enum(['upcoming', 'open', 'closed']),
  signedResidents: z.number().int(),
  residentsWithTip: z.number().int(),
  /** residentsPending + residentsMissed. */
  residentsWithout: z.number().int(),
  /** Without a tip while the quarter still runs (the catch-up or a later run may reach them). */
  residentsPending: z.number().int(),
  /** Without a tip and the quarter over: the quarter ended without a delivery. */
  residentsMissed: z.number().int(),
  /** Every resident who received the quarter's tip (including those whose agreement ended since). */
  deliveredThisQuarter: z.number().int(),
  /** Residents the library had no matching tip for at the last run. */
  noMatchingTip: z.number().int(),
  byChannel: z.object({ inbox: z.number().int(), wechat: channelFigures, sms: channelFigures }),
  failures: z.array(z.object({ channel: z.string(), reason: z.string(), count: z.number().int() })),
  teams: z.array(complianceTeamRow),
});
export type ComplianceReport = z.infer<typeof complianceResponse>;

export { TIP_CATEGORIES };
