/**
 * The building blocks of the region policy schema (./types.ts): payers and their groups, the
 * primitive field schemas, and population matchers with the eligibility rules built on them.
 */
import * as z from 'zod';
import { isLocalDate } from '../dates';
import { CONDITIONS, STATUSES, type Condition, type Sex, type Status } from '../person';

// ---------------------------------------------------------------------------------------------
// Payers

/**
 * Who pays a part of a package fee. Finance and charity are split by level where a seed splits
 * them (weihai-2023 §六(一): city:county 2:8 for the 60+ subsidy, charity city level 20 %).
 */
export const PAYERS = {
  resident: '居民个人',
  insurance_fund: '医保基金',
  public_health: '基本公共卫生服务经费',
  finance_city: '市级财政',
  finance_county: '县（区）级财政',
  civil_affairs: '民政/残联',
  charity_city: '市慈善总会卫生分会救助费',
  charity_other: '慈善募集善款等社会资金（市级以外部分）',
  institution: '基层医疗卫生机构自行承担',
} as const;
export type Payer = keyof typeof PAYERS;
export const PAYER_CODES = Object.keys(PAYERS) as Payer[];

/** Coarse payer groups (the list: finance and charity without level). */
export const PAYER_GROUPS: Record<Payer, 'resident' | 'insurance_fund' | 'public_health' | 'finance' | 'civil_affairs' | 'charity' | 'institution'> = {
  resident: 'resident',
  insurance_fund: 'insurance_fund',
  public_health: 'public_health',
  finance_city: 'finance',
  finance_county: 'finance',
  civil_affairs: 'civil_affairs',
  charity_city: 'charity',
  charity_other: 'charity',
  institution: 'institution',
};

export const fen = z.number().int().nonnegative();
export const localDate = z.string().refine(isLocalDate, { error: '日期格式应为 YYYY-MM-DD' });
export const payer = z.enum(PAYER_CODES as [Payer, ...Payer[]]);
export const conditionCode = z.enum(Object.keys(CONDITIONS) as [Condition, ...Condition[]]);
export const statusCode = z.enum(Object.keys(STATUSES) as [Status, ...Status[]]);
export const zh = z.string().min(1);

// ---------------------------------------------------------------------------------------------
// Population matchers (eligibility, item applicability, fee re-routing)

/** All present fields must hold (AND). `anyOf` is OR over sub-matchers, `not` negates. */
export interface PopulationMatcher {
  minAge?: number;
  maxAge?: number;
  sex?: Sex;
  anyConditions?: Condition[];
  allConditions?: Condition[];
  anyStatuses?: Status[];
  insuredLocally?: boolean;
  localHukou?: boolean;
  anyOf?: PopulationMatcher[];
  not?: PopulationMatcher;
}

export const populationMatcherSchema: z.ZodType<PopulationMatcher> = z.lazy(() =>
  z
    .object({
      minAge: z.number().int().nonnegative().optional(),
      maxAge: z.number().int().nonnegative().optional(),
      sex: z.enum(['M', 'F']).optional(),
      anyConditions: z.array(conditionCode).min(1).optional(),
      allConditions: z.array(conditionCode).min(1).optional(),
      anyStatuses: z.array(statusCode).min(1).optional(),
      insuredLocally: z.boolean().optional(),
      localHukou: z.boolean().optional(),
      anyOf: z.array(populationMatcherSchema).min(1).optional(),
      not: populationMatcherSchema.optional(),
    })
    .strict(),
);

export const eligibilityRuleSchema = z.object({
  when: populationMatcherSchema,
  /** Chinese reason shown when the rule does not hold, e.g. 该服务包仅适用于65岁及以上老年人. */
  reason: zh,
});
export type EligibilityRule = z.infer<typeof eligibilityRuleSchema>;
