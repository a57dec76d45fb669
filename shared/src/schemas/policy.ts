/**
 * API contracts for the policy engine: region summary, package catalog, quote request/response.
 * Every user-facing validation message is Simplified Chinese.
 */
import * as z from 'zod';
import { isLocalDate } from '../domain/dates';
import { CONDITIONS, STATUSES, type Condition, type Status } from '../domain/person';
import { PAYER_CODES, REGION_IDS, TIERS, type Payer, type RegionId } from '../domain/policy/types';

const localDate = z.string({ error: '请填写日期' }).refine(isLocalDate, { error: '日期格式应为 YYYY-MM-DD' });
const fen = z.number({ error: '金额须为数字' }).int({ error: '金额须以分为单位的整数' }).nonnegative({ error: '金额不能为负数' });
const payer = z.enum(PAYER_CODES as [Payer, ...Payer[]]);

export const regionIdSchema = z.enum(REGION_IDS as [RegionId, ...RegionId[]], { error: '不支持的地区' });

export const policyPersonFactsSchema = z.object({
  birthDate: localDate,
  sex: z.enum(['M', 'F'], { error: '性别无效' }),
  conditions: z.array(z.enum(Object.keys(CONDITIONS) as [Condition, ...Condition[]], { error: '健康状况代码无效' })).default([]),
  statuses: z.array(z.enum(Object.keys(STATUSES) as [Status, ...Status[]], { error: '人群身份代码无效' })).default([]),
  insuredLocally: z.boolean({ error: '请说明是否参加本地基本医疗保险' }),
  localHukou: z.boolean({ error: '请说明是否为本地户籍' }),
});

export const institutionValuesSchema = z
  .object({
    priceFen: fen.optional(),
    residentShareBp: z
      .number({ error: '居民付费比例须为数字' })
      .int({ error: '居民付费比例须为整数（万分比）' })
      .min(0, { error: '居民付费比例不能为负数' })
      .max(10_000, { error: '居民付费比例不能超过100%' })
      .optional(),
    insuranceFen: fen.optional(),
    subsidyFen: fen.optional(),
  })
  .strict();

const packageCode = z.string({ error: '请选择服务包' }).min(1, { error: '请选择服务包' });

export const quoteMemberRequestSchema = z.object({
  memberId: z.string({ error: '请填写成员编号' }).min(1, { error: '请填写成员编号' }).max(64, { error: '成员编号过长' }),
  person: policyPersonFactsSchema,
  packageCodes: z.array(packageCode).max(20, { error: '服务包数量过多' }),
  signingKind: z.enum(['free', 'paid'], { error: '签约类型无效' }).optional(),
  institutionValues: z.record(z.string(), institutionValuesSchema).optional(),
});

export const quoteRequestSchema = z
  .object({
    regionId: regionIdSchema,
    /** Defaults to today (Asia/Shanghai) at the handler. */
    onDate: localDate.optional(),
    members: z.array(quoteMemberRequestSchema).min(1, { error: '请至少选择一位家庭成员' }).max(20, { error: '家庭成员数量过多' }),
    institutionValues: z.record(z.string(), institutionValuesSchema).optional(),
  })
  .superRefine((req, ctx) => {
    const seen = new Set<string>();
    req.members.forEach((m, i) => {
      if (seen.has(m.memberId)) ctx.addIssue({ code: 'custom', path: ['members', i, 'memberId'], message: '成员编号重复' });
      seen.add(m.memberId);
    });
  });
export type QuoteRequest = z.infer<typeof quoteRequestSchema>;

const payerAmounts = z.record(payer, fen);

export const quoteLineSchema = z.object({
  packageCode: z.string(),
  packageName: z.string(),
  category: z.enum(['basic', 'population', 'personalized']),
  priceFen: fen,
  shares: z.array(z.object({ payer, label: z.string(), amountFen: fen })),
  byPayer: payerAmounts,
  autoIncluded: z.boolean(),
  splitRole: z.enum(['shared', 'resident_only']).nullable(),
  costBornBy: payer.nullable(),
  notes: z.array(z.string()),
});

export const quoteIssueSchema = z.object({
  packageCode: z.string(),
  code: z.enum(['UNKNOWN_PACKAGE', 'NOT_ELIGIBLE', 'PRICE_NOT_SET', 'INVALID_INSTITUTION_VALUE', 'TOO_MANY_PACKAGES']),
  message: z.string(),
});

export const quoteResponseSchema = z.object({
  regionId: regionIdSchema,
  policyVersion: z.string(),
  quotedOn: localDate,
  members: z.array(
    z.object({
      memberId: z.string(),
      age: z.number().int().nonnegative(),
      signingKind: z.enum(['free', 'paid']).nullable(),
      lines: z.array(quoteLineSchema),
      errors: z.array(quoteIssueSchema),
      byPayer: payerAmounts,
      totalFen: fen,
    }),
  ),
  byPayer: payerAmounts,
  byPayerGroup: z.record(z.enum(['resident', 'insurance_fund', 'public_health', 'finance', 'civil_affairs', 'charity', 'institution']), fen),
  totalFen: fen,
  ok: z.boolean(),
});
export type QuoteResponse = z.infer<typeof quoteResponseSchema>;

export const catalogItemSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(['count', 'on_demand', 'ongoing', 'schedule', 'unspecified']),
  quantity: z.number().int().positive().nullable(),
  per: z.enum(['year', 'quarter', 'month', 'stage']).nullable(),
  bound: z.enum(['exact', 'atLeast', 'atMost']),
  unit: z.string(),
  yearlyQuantity: z.number().int().positive().nullable(),
  frequencyText: z.string().nullable(),
  includedFromBasic: z.number().int().positive().nullable(),
  unitValueFen: fen.nullable(),
  appliesTo: z.string().nullable(),
  note: z.string().nullable(),
});

export const catalogPackageSchema = z.object({
  code: z.string(),
  name: z.string(),
  category: z.enum(['basic', 'population', 'personalized']),
  categoryLabel: z.string(),
  tier: z.enum(Object.keys(TIERS) as [keyof typeof TIERS, ...(keyof typeof TIERS)[]]).nullable(),
  tierLabel: z.string().nullable(),
  targetPopulation: z.string(),
  priceFen: fen.nullable(),
  priceText: z.string(),
  standardShares: z.array(z.object({ payer, label: z.string(), amountFen: fen })),
  needsInstitutionValues: z.boolean(),
  includes: z.array(z.string()),
  notes: z.array(z.string()),
  items: z.array(catalogItemSchema),
});

export const packageCatalogResponseSchema = z.object({
  regionId: regionIdSchema,
  policyVersion: z.string(),
  packages: z.array(catalogPackageSchema),
});
export type PackageCatalogResponse = z.infer<typeof packageCatalogResponseSchema>;

export const catalogQuerySchema = z.object({
  regionId: regionIdSchema,
  onDate: localDate.optional(),
  version: z.string().min(1, { error: '版本号不能为空' }).optional(),
});

export const regionSummarySchema = z.object({
  regionId: regionIdSchema,
  name: z.string(),
  version: z.string(),
  effectiveFrom: localDate,
  documentRef: z.string(),
  basicPackageCode: z.string(),
  packageCount: z.number().int().positive(),
  cycleText: z.string(),
  renewalText: z.string(),
  terminationText: z.string(),
  earlyTermination: z.enum(['allowed', 'restricted']),
  teamCapacity: z.number().int().positive().nullable(),
  coverageTargets: z.array(z.object({ year: z.number().int(), population: z.string(), minPercent: z.number().nullable(), text: z.string() })),
  specialistSlotShareMinPercent: z.number().nullable(),
  booking: z.object({
    maxFutureAppointments: z.number().int().positive(),
    cancelDeadlineMinutes: z.number().int().nonnegative(),
    noShowLimit: z.number().int().positive(),
    noShowWindowDays: z.number().int().positive(),
    noShowSuspensionDays: z.number().int().positive(),
  }),
  benefits: z.array(z.string()),
  notes: z.array(z.string()),
});
export type RegionSummaryResponse = z.infer<typeof regionSummarySchema>;
export const regionSummaryListSchema = z.object({ regions: z.array(regionSummarySchema) });
