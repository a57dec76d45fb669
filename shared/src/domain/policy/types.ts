/**
 * Region policies as data. Every region's rules (catalog, fee split, service cycle, renewal,
 * termination, capacity, targets) are one object validated by `regionPolicySchema`, so a
 * policy version is reviewable against its seed document line by line and the engine
 * (eligibility.ts, quote.ts, cycle.ts, refund.ts) holds no region-specific branches beyond
 * what the data says.
 *
 * Money is integer fen; dates are Asia/Shanghai LocalDate strings (../dates).
 */
import * as z from 'zod';
import type { LocalDate } from '../dates';

import { eligibilityRuleSchema, fen, localDate, payer, populationMatcherSchema, zh } from './schema-base';

export * from './schema-base';

// ---------------------------------------------------------------------------------------------
// Items

/**
 * - count: a promised number of deliveries per `per` (year = per service cycle year; stage = once
 *   per life stage / pregnancy / course, e.g. 孕中期2次).
 * - on_demand: 按需服务 / 提供预约就诊、转诊服务 — no number is promised.
 * - ongoing: 建立并定期维护更新 — continuous, no number.
 * - schedule: 按年龄段 / 按孕周 / 视预防接种程序 / 按相应规范 — number set by a national schedule.
 * - unspecified: the seed's table leaves the frequency cell empty.
 */
export const itemKindSchema = z.enum(['count', 'on_demand', 'ongoing', 'schedule', 'unspecified']);
export type ItemKind = z.infer<typeof itemKindSchema>;

export const itemSchema = z
  .object({
    /** Stable item code: `<package code>/<seed item number>` unless a well-known code. */
    code: z.string().min(1),
    /** Chinese name, as the seed words it. */
    name: zh,
    /** Seed's explanation column (服务说明), verbatim, where it has one. */
    description: z.string().optional(),
    kind: itemKindSchema,
    quantity: z.number().int().positive().nullable(),
    per: z.enum(['year', 'quarter', 'month', 'stage']).nullable(),
    bound: z.enum(['exact', 'atLeast', 'atMost']),
    /** Chinese unit: 次, 条, 项次, 张, 套, 份. */
    unit: zh,
    /** The seed's frequency wording, verbatim (服务频次 / 计价 text); null when the seed has none. */
    frequencyText: z.string().nullable(),
    /** liyang-2019 附件 160000002-d 第2项: "每年提供12次测血压，包括基本公共卫生服务包中4次测量". */
    includedFromBasic: z.number().int().positive().optional(),
    /** Only where a seed prices a unit. */
    unitValueFen: fen.optional(),
    /** Within a basic package: the population group the item belongs to (liyang 基本公卫服务包 rows). */
    appliesTo: z.object({ label: zh, when: populationMatcherSchema }).optional(),
    /** Chinese conditions/notes for the resident (e.g. 静脉输液除外). */
    note: z.string().optional(),
    source: z.string().min(1),
  })
  .superRefine((it, ctx) => {
    if ((it.kind === 'count') !== (it.quantity !== null)) {
      ctx.addIssue({ code: 'custom', message: `item ${it.code}: quantity must be set exactly for kind "count"` });
    }
    if ((it.kind === 'count') !== (it.per !== null)) {
      ctx.addIssue({ code: 'custom', message: `item ${it.code}: per must be set exactly for kind "count"` });
    }
    if (it.includedFromBasic !== undefined && (it.quantity === null || it.includedFromBasic >= it.quantity)) {
      ctx.addIssue({ code: 'custom', message: `item ${it.code}: includedFromBasic must be below quantity` });
    }
  });
export type PackageItem = z.infer<typeof itemSchema>;

// ---------------------------------------------------------------------------------------------
// Pricing rules

export const shareSchema = z.object({ payer, amountFen: fen });
export type Share = z.infer<typeof shareSchema>;
export const weightedPayerSchema = z.object({ payer, weight: z.number().int().positive() });
export type WeightedPayer = z.infer<typeof weightedPayerSchema>;

/** Routes the resident's part to other payers for a population (liyang special populations → city finance). */
export const residentCoverSchema = z.object({
  when: populationMatcherSchema,
  payers: z.array(weightedPayerSchema).min(1),
  /** Chinese label shown on the quote line. */
  label: zh,
  source: z.string().min(1),
});
export type ResidentCover = z.infer<typeof residentCoverSchema>;

/** An amount added on top of the fee for a population (weihai 60+ local household: +40 元, city:county 2:8). */
export const supplementSchema = z.object({
  when: populationMatcherSchema,
  amountFen: fen,
  payers: z.array(weightedPayerSchema).min(1),
  label: zh,
  source: z.string().min(1),
});
export type Supplement = z.infer<typeof supplementSchema>;

/**
 * What happens to the insurance-fund share when the member is not insured locally:
 * resident (liyang-2019 §三(一)), institution (the share is not collected from anyone and the
 * institution bears it), ineligible (the package may not be sold; yongkang paid signing is for
 * 参保人员 only).
 */
export const uninsuredRuleSchema = z.discriminatedUnion('to', [
  z.object({ to: z.literal('resident') }),
  z.object({ to: z.literal('institution') }),
  z.object({ to: z.literal('ineligible'), reason: zh }),
]);
export type UninsuredRule = z.infer<typeof uninsuredRuleSchema>;

const fixedPricingSchema = z.object({
  kind: z.literal('fixed'),
  priceFen: fen,
  shares: z.array(shareSchema).min(1),
  uninsured: uninsuredRuleSchema,
  /** First matching cover wins. */
  residentCover: z.array(residentCoverSchema),
  supplements: z.array(supplementSchema),
  /**
   * liyang-2019 §三(一): with two or more such packages, one is split three ways and every other
   * package is paid wholly by the resident.
   */
  oneSharedPerMember: z.boolean(),
  /** yongkang: 不收费签约 takes the package at 0 (basic services only). */
  freeSigningAllowed: z.boolean(),
});

const minimumPricingSchema = z.object({
  kind: z.literal('minimum'),
  /** The statutory floor; an institution may set a higher price. */
  minFen: fen,
  fixedShares: z.array(shareSchema).min(1),
  /** Receives price − fixed shares; must be at least `remainderMinFen`. */
  remainderPayer: payer,
  remainderMinFen: fen,
  uninsured: uninsuredRuleSchema,
});

const freePricingSchema = z.object({
  kind: z.literal('free'),
  /** Who absorbs the cost of delivery where the seed says so (liyang 白血病: 卫生院自行承担). */
  costBornBy: payer.nullable(),
  note: zh,
});

const includedPricingSchema = z.object({
  kind: z.literal('included'),
  /** The package whose fee covers this one; null when the seed names no fee at all. */
  inPackage: z.string().nullable(),
  note: zh,
});

export const institutionSplitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resident_all') }),
  /** weihai-2023 §六(一): 收费及补助标准由县区级确定 — an optional subsidy, paid by `subsidyPayer`. */
  z.object({ kind: z.literal('resident_with_subsidy'), subsidyPayer: payer }),
  /**
   * jilin-2017 §三(二): resident pays 40–50 % of the list price (basis points), insurance pays a
   * locally set amount ≤ 40 元, the institution forgoes the rest (the package is cheaper than the
   * items bought one by one).
   */
  z.object({
    kind: z.literal('resident_share'),
    minBp: z.number().int().min(0).max(10_000),
    maxBp: z.number().int().min(0).max(10_000),
    insuranceMaxFen: fen,
    remainderPayer: payer,
    uninsured: uninsuredRuleSchema,
  }),
]);
export type InstitutionSplit = z.infer<typeof institutionSplitSchema>;

const institutionSetPricingSchema = z.object({
  kind: z.literal('institution_set'),
  minFen: fen.nullable(),
  maxFen: fen.nullable(),
  split: institutionSplitSchema,
  /** Chinese: where the document leaves the price, e.g. 由县区级根据实际情况确定. */
  note: zh,
});

export const pricingRuleSchema = z.discriminatedUnion('kind', [
  fixedPricingSchema,
  minimumPricingSchema,
  freePricingSchema,
  includedPricingSchema,
  institutionSetPricingSchema,
]);
export type PricingRule = z.infer<typeof pricingRuleSchema>;

// ---------------------------------------------------------------------------------------------
// Packages

export const PACKAGE_CATEGORIES = {
  basic: '基本服务包',
  population: '人群服务包',
  personalized: '个性化服务包',
} as const;
export type PackageCategory = keyof typeof PACKAGE_CATEGORIES;

export const TIERS = { basic: '基础', primary: '初级', intermediate: '中级', advanced: '高级' } as const;
export type Tier = keyof typeof TIERS;

export const packageSchema = z.object({
  code: z.string().min(1),
  name: zh,
  category: z.enum(['basic', 'population', 'personalized']),
  tier: z.enum(['basic', 'primary', 'intermediate', 'advanced']).nullable(),
  /** 适用人群, as the seed words it. */
  targetPopulation: zh,
  eligibility: z.array(eligibilityRuleSchema),
  /** Packages whose content this one includes (“1.基本服务包+”). */
  includes: z.array(z.string()),
  items: z.array(itemSchema),
  pricing: pricingRuleSchema,
  /** Fixed cycle end where the seed fixes one (zhangjiagang 附件3: 至2018年2月28日止). */
  fixedCycleEnd: localDate.nullable(),
  /** Chinese notes for the resident. */
  notes: z.array(z.string()),
  /** Chinese notes shown only to members who match (weihai: 残疾人签约服务费按咸卫函〔2020〕113号落实). */
  conditionalNotes: z.array(z.object({ when: populationMatcherSchema, text: zh })),
  source: z.string().min(1),
});
export type ServicePackage = z.infer<typeof packageSchema>;

// ---------------------------------------------------------------------------------------------
// Cycle, renewal, termination

export const cycleRuleSchema = z.discriminatedUnion('kind', [
  /** liyang-2019 §二(三)2. */
  z.object({
    kind: z.literal('calendar_year'),
    firstCycle: z.object({ signedFrom: localDate, signedTo: localDate, end: localDate }),
    /** Signing from this month on (Q4 = 10) is for the next calendar year. */
    advanceSigningFromMonth: z.number().int().min(1).max(12),
  }),
  /** One year (or a chosen renewal term) from signing or payment. */
  z.object({
    kind: z.literal('from_signing'),
    firstTermYears: z.number().int().positive(),
    renewalTermYears: z.array(z.number().int().positive()).min(1),
    /** yongkang: a paid cycle starts on the date of signing + paying + card registration. */
    paidStartsOnPayment: z.boolean(),
  }),
]);
export type CycleRule = z.infer<typeof cycleRuleSchema>;

export const renewalRuleSchema = z.object({
  /** What a free (无偿) agreement does at expiry without a request. */
  free: z.enum(['auto_renew', 'expire']),
  /** What a paid (有偿) agreement does at expiry when not renewed. */
  paid: z.enum(['fall_back_to_free', 'expire']),
  window: z
    .discriminatedUnion('kind', [
      /** yongkang: 续签可在该周期期满前1个月内交费. */
      z.object({ kind: z.literal('months_before_end'), months: z.number().int().positive() }),
      /** liyang: 每年第四季度集中签订下一年度. */
      z.object({ kind: z.literal('quarter_before_end'), quarter: z.literal(4) }),
    ])
    .nullable(),
  /** Chinese summary for the resident. */
  text: zh,
  source: z.string().min(1),
});
export type RenewalRule = z.infer<typeof renewalRuleSchema>;

export const TERMINATION_REASONS = {
  moved_out: '迁出本辖区',
  unreachable_one_year: '连续一年无法取得联系',
  refused_one_year: '连续一年拒绝服务',
  voluntary: '主动解约',
  death: '死亡',
  other: '其他',
} as const;
export type TerminationReason = keyof typeof TERMINATION_REASONS;
const terminationReason = z.enum(Object.keys(TERMINATION_REASONS) as [TerminationReason, ...TerminationReason[]]);

export const terminationRuleSchema = z.object({
  /** 'restricted': only `allowedReasons` end an agreement early (zhangjiagang: 原则上一年签约期内不得解约). */
  early: z.enum(['allowed', 'restricted']),
  allowedReasons: z.array(terminationReason),
  requiresVerification: z.boolean(),
  /** liyang-2019 §三(二): refund the prepaid fee after deducting services delivered. */
  refund: z.enum(['deduct_delivered', 'not_specified']),
  text: zh,
  source: z.string().min(1),
});
export type TerminationRule = z.infer<typeof terminationRuleSchema>;

export const coverageTargetSchema = z.object({
  year: z.number().int(),
  population: z.enum(['overall', 'key', 'special', 'poor', 'hardship', 'satisfaction']),
  /** Null where the seed states a target without a number (特殊人群应签尽签). */
  minPercent: z.number().min(0).max(100).nullable(),
  text: zh,
  source: z.string().min(1),
});
export type CoverageTarget = z.infer<typeof coverageTargetSchema>;

export const bookingPolicySchema = z.object({
  maxFutureAppointments: z.number().int().positive(),
  cancelDeadlineMinutes: z.number().int().nonnegative(),
  noShowLimit: z.number().int().positive(),
  noShowWindowDays: z.number().int().positive(),
  noShowSuspensionDays: z.number().int().positive(),
  source: z.string().min(1),
});
export type BookingPolicy = z.infer<typeof bookingPolicySchema>;

export const regionPolicySchema = z
  .object({
    regionId: z.enum(['liyang-2019', 'yongkang', 'jilin-2017', 'weihai-2023', 'zhangjiagang-2017']),
    name: zh,
    version: z.string().min(1),
    effectiveFrom: localDate,
    documentRef: zh,
    seedFile: z.string().min(1),
    packages: z.array(packageSchema).min(1),
    basicPackageCode: z.string().min(1),
    /** Chinese: at most this many personalized packages per member (zhangjiagang form: one per member). */
    maxPersonalizedPerMember: z.number().int().positive().nullable(),
    /** yongkang distinguishes 不收费签约 / 收费签约; null elsewhere (the packages decide). */
    defaultSigningKind: z.enum(['free', 'paid']).nullable(),
    cycle: cycleRuleSchema,
    renewal: renewalRuleSchema,
    termination: terminationRuleSchema,
    teamCapacity: z.object({ residentsPerTeam: z.number().int().positive(), approximate: z.boolean(), source: z.string() }).nullable(),
    coverageTargets: z.array(coverageTargetSchema),
    /** Specialist appointment slots handed to family doctors (weihai-2023 §四(三): ≥20 %). */
    specialistSlotShareMinPercent: z.number().min(0).max(100).nullable(),
    booking: bookingPolicySchema,
    /** Chinese: benefits attached to signing (insurance reimbursement changes etc.). */
    benefits: z.array(z.string()),
    notes: z.array(z.string()),
  })
  .superRefine((p, ctx) => {
    const codes = new Set<string>();
    for (const pkg of p.packages) {
      if (codes.has(pkg.code)) ctx.addIssue({ code: 'custom', message: `duplicate package code ${pkg.code}` });
      codes.add(pkg.code);
      const itemCodes = new Set<string>();
      for (const it of pkg.items) {
        if (itemCodes.has(it.code)) ctx.addIssue({ code: 'custom', message: `duplicate item code ${it.code} in ${pkg.code}` });
        itemCodes.add(it.code);
      }
      const r = pkg.pricing;
      if (r.kind === 'fixed') {
        const sum = r.shares.reduce((a, s) => a + s.amountFen, 0);
        if (sum !== r.priceFen) ctx.addIssue({ code: 'custom', message: `${pkg.code}: shares add up to ${sum}, price is ${r.priceFen}` });
      }
      if (r.kind === 'minimum') {
        const fixed = r.fixedShares.reduce((a, s) => a + s.amountFen, 0);
        if (fixed + r.remainderMinFen > r.minFen) ctx.addIssue({ code: 'custom', message: `${pkg.code}: floor below its fixed shares` });
      }
      if (r.kind === 'institution_set' && r.split.kind === 'resident_share' && r.split.minBp > r.split.maxBp) {
        ctx.addIssue({ code: 'custom', message: `${pkg.code}: minBp > maxBp` });
      }
    }
    for (const pkg of p.packages) {
      for (const inc of pkg.includes) {
        if (!codes.has(inc)) ctx.addIssue({ code: 'custom', message: `${pkg.code} includes unknown ${inc}` });
      }
      if (pkg.pricing.kind === 'included' && pkg.pricing.inPackage !== null && !codes.has(pkg.pricing.inPackage)) {
        ctx.addIssue({ code: 'custom', message: `${pkg.code} priced inside unknown ${pkg.pricing.inPackage}` });
      }
    }
    const basic = p.packages.find((x) => x.code === p.basicPackageCode);
    if (!basic || basic.category !== 'basic') ctx.addIssue({ code: 'custom', message: `basicPackageCode ${p.basicPackageCode} is not a basic package` });
  });
export type RegionPolicy = z.infer<typeof regionPolicySchema>;
export type RegionId = RegionPolicy['regionId'];
export const REGION_IDS: RegionId[] = ['liyang-2019', 'yongkang', 'jilin-2017', 'weihai-2023', 'zhangjiagang-2017'];

/** Values an institution sets where a seed leaves them local. */
export interface InstitutionValues {
  /** Package price (list price for jilin personalized packages). */
  priceFen?: number;
  /** jilin: resident share of the list price, basis points (4000–5000). */
  residentShareBp?: number;
  /** jilin: insurance-fund amount (≤ 40 元). */
  insuranceFen?: number;
  /** weihai personalized: county subsidy. */
  subsidyFen?: number;
}

export type { LocalDate };
