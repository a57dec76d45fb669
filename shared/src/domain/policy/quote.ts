/**
 * Household quote: per member, per package, per payer amounts in fen. Pure; every rule comes
 * from the policy data (regions/*.ts). A selection that cannot be sold (not eligible, price not
 * set by the institution, too many packages) is reported in the member's `errors`, never thrown.
 * Malformed input (bad dates, duplicate member ids) throws ValidationError.
 *
 * Invariant: for every line, the payer amounts are non-negative integers that add up to the
 * line's price exactly (weighted splits go through money.allocate()).
 */
import type { LocalDate } from '../dates';
import { ValidationError, type FieldIssue } from '../errors';
import type { Fen } from '../money';
import type { PersonFacts } from '../person';
import { ageOf, ineligibilityReasons } from './eligibility';
import { addInto, priceLine, sharesOf, sumAmounts, zeroAmounts, type Priced } from './pricing';
import {
  PAYER_CODES,
  PAYER_GROUPS,
  type InstitutionValues,
  type Payer,
  type RegionPolicy,
  type ServicePackage,
} from './types';

export type PayerAmounts = Record<Payer, Fen>;
export type PayerGroup = (typeof PAYER_GROUPS)[Payer];
export type SigningKind = 'free' | 'paid';

export interface MemberSelection {
  memberId: string;
  person: PersonFacts;
  packageCodes: string[];
  /** yongkang 不收费签约 / 收费签约; defaults to the policy's defaultSigningKind. */
  signingKind?: SigningKind;
  /** Institution-set values for this member, by package code (override the household's). */
  institutionValues?: Record<string, InstitutionValues>;
}

export interface QuoteSelection {
  members: MemberSelection[];
  /** Institution-set values (the signing institution's price list), by package code. */
  institutionValues?: Record<string, InstitutionValues>;
}

export interface QuoteOptions {
  /** Add the region's basic package to every member (default true: every signed resident has it). */
  autoIncludeBasic?: boolean;
}

export type QuoteIssueCode = 'UNKNOWN_PACKAGE' | 'NOT_ELIGIBLE' | 'PRICE_NOT_SET' | 'INVALID_INSTITUTION_VALUE' | 'TOO_MANY_PACKAGES';

export interface QuoteIssue {
  packageCode: string;
  code: QuoteIssueCode;
  /** Chinese, shown as is. */
  message: string;
}

export interface PayerShare {
  payer: Payer;
  label: string;
  amountFen: Fen;
}

export interface QuoteLine {
  packageCode: string;
  packageName: string;
  category: ServicePackage['category'];
  priceFen: Fen;
  /** Non-zero shares in payer order. */
  shares: PayerShare[];
  byPayer: PayerAmounts;
  /** The basic package added because every signed resident holds it. */
  autoIncluded: boolean;
  /** liyang-2019 §三(一) with ≥2 personalized packages: the three-way split one, or a resident-only one. */
  splitRole: 'shared' | 'resident_only' | null;
  /** Who absorbs the cost of a free package, where the seed says. */
  costBornBy: Payer | null;
  /** Chinese notes for the resident. */
  notes: string[];
}

export interface MemberQuote {
  memberId: string;
  age: number;
  signingKind: SigningKind | null;
  lines: QuoteLine[];
  errors: QuoteIssue[];
  byPayer: PayerAmounts;
  totalFen: Fen;
}

export interface Quote {
  regionId: RegionPolicy['regionId'];
  policyVersion: string;
  quotedOn: LocalDate;
  members: MemberQuote[];
  byPayer: PayerAmounts;
  byPayerGroup: Record<PayerGroup, Fen>;
  totalFen: Fen;
  /** False when any member has errors; such a quote cannot be signed. */
  ok: boolean;
}

function mergeValues(household: QuoteSelection['institutionValues'], member: MemberSelection['institutionValues'], code: string): InstitutionValues {
  return { ...(household?.[code] ?? {}), ...(member?.[code] ?? {}) };
}

interface Working {
  pkg: ServicePackage;
  autoIncluded: boolean;
  priced: Extract<Priced, { ok: true }>;
  splitRole: QuoteLine['splitRole'];
}

function quoteMember(m: MemberSelection, policy: RegionPolicy, today: LocalDate, selection: QuoteSelection, options: QuoteOptions): MemberQuote {
  const age = ageOf(m.person, today);
  const signingKind: SigningKind = m.signingKind ?? policy.defaultSigningKind ?? 'paid';
  const errors: QuoteIssue[] = [];
  const codes: { code: string; auto: boolean }[] = [];
  const seen = new Set<string>();
  if (options.autoIncludeBasic !== false && !m.packageCodes.includes(policy.basicPackageCode)) {
    codes.push({ code: policy.basicPackageCode, auto: true });
    seen.add(policy.basicPackageCode);
  }
  for (const code of m.packageCodes) {
    if (seen.has(code)) continue;
    seen.add(code);
    codes.push({ code, auto: false });
  }

  const working: Working[] = [];
  let personalized = 0;
  for (const { code, auto } of codes) {
    const pkg = policy.packages.find((p) => p.code === code);
    if (!pkg) {
      errors.push({ packageCode: code, code: 'UNKNOWN_PACKAGE', message: `未找到服务包：${code}` });
      continue;
    }
    const reasons = ineligibilityReasons(pkg, m.person, age);
    if (reasons.length) {
      for (const message of reasons) errors.push({ packageCode: code, code: 'NOT_ELIGIBLE', message });
      continue;
    }
    if (pkg.category === 'personalized' && policy.maxPersonalizedPerMember !== null) {
      personalized += 1;
      if (personalized > policy.maxPersonalizedPerMember) {
        errors.push({
          packageCode: code,
          code: 'TOO_MANY_PACKAGES',
          message: `每位家庭成员只能选择${policy.maxPersonalizedPerMember}个个性化服务包`,
        });
        continue;
      }
    }
    const priced = priceLine(pkg, m.person, age, signingKind, mergeValues(selection.institutionValues, m.institutionValues, code));
    if (!priced.ok) {
      errors.push(priced.issue);
      continue;
    }
    working.push({ pkg, autoIncluded: auto, priced, splitRole: null });
  }

  applyOneShared(working, policy);

  const lines: QuoteLine[] = working.map((w) => {
    const total = sumAmounts(w.priced.amounts);
    if (total !== w.priced.priceFen || PAYER_CODES.some((p) => w.priced.amounts[p] < 0)) {
      throw new Error(`quote invariant broken for ${w.pkg.code}: ${total} ≠ ${w.priced.priceFen}`);
    }
    return {
      packageCode: w.pkg.code,
      packageName: w.pkg.name,
      category: w.pkg.category,
      priceFen: w.priced.priceFen,
      shares: sharesOf(w.priced.amounts),
      byPayer: w.priced.amounts,
      autoIncluded: w.autoIncluded,
      splitRole: w.splitRole,
      costBornBy: w.priced.costBornBy,
      notes: w.priced.notes,
    };
  });
  const byPayer = zeroAmounts();
  for (const l of lines) addInto(byPayer, l.byPayer);
  return {
    memberId: m.memberId,
    age,
    signingKind: policy.defaultSigningKind === null ? null : signingKind,
    lines,
    errors,
    byPayer,
    totalFen: sumAmounts(byPayer),
  };
}

/**
 * liyang-2019 §三(一): "对同时签约两个及以上个性化服务包内套餐的居民，其中一个签约套餐的签约服务费由
 * 医保基金、基本公共卫生服务经费和签约居民三方按比例共同分担，签约的其他套餐服务费用全部由其个人承担。"
 * The shared package is the one that leaves the resident paying least; ties go to the earlier
 * package in the catalog (all liyang a–g cost 150 元, so the result is the same either way).
 */
function applyOneShared(working: Working[], policy: RegionPolicy): void {
  const group = working.filter((w) => w.pkg.pricing.kind === 'fixed' && w.pkg.pricing.oneSharedPerMember && w.priced.priceFen > 0);
  if (group.length < 2) return;
  const order = (w: Working) => policy.packages.findIndex((p) => p.code === w.pkg.code);
  let best: Working | undefined;
  let bestResident = Infinity;
  for (const candidate of [...group].sort((a, b) => order(a) - order(b))) {
    const resident = group.reduce((acc, w) => acc + (w === candidate ? w.priced.amounts.resident : w.priced.priceFen), 0);
    if (resident < bestResident) {
      bestResident = resident;
      best = candidate;
    }
  }
  for (const w of group) {
    if (w === best) {
      w.splitRole = 'shared';
      w.priced.notes.push('同时签约多个个性化服务包：本服务包按三方比例分担（已选对居民最有利的一个）');
    } else {
      w.splitRole = 'resident_only';
      const amounts = zeroAmounts();
      amounts.resident = w.priced.priceFen;
      w.priced = { ...w.priced, amounts, notes: ['同时签约两个及以上个性化服务包：本服务包费用全部由个人承担'] };
    }
  }
}

export function quote(selection: QuoteSelection, policy: RegionPolicy, today: LocalDate, options: QuoteOptions = {}): Quote {
  const ids = new Set<string>();
  const issues: FieldIssue[] = [];
  selection.members.forEach((m, i) => {
    if (!m.memberId) issues.push({ path: `members.${i}.memberId`, message: '成员编号不能为空' });
    if (ids.has(m.memberId)) issues.push({ path: `members.${i}.memberId`, message: '成员编号重复' });
    ids.add(m.memberId);
  });
  if (issues.length) throw new ValidationError(issues);

  const members = selection.members.map((m) => quoteMember(m, policy, today, selection, options));
  const byPayer = zeroAmounts();
  for (const m of members) addInto(byPayer, m.byPayer);
  const byPayerGroup = { resident: 0, insurance_fund: 0, public_health: 0, finance: 0, civil_affairs: 0, charity: 0, institution: 0 } as Record<PayerGroup, Fen>;
  for (const p of PAYER_CODES) byPayerGroup[PAYER_GROUPS[p]] += byPayer[p];
  return {
    regionId: policy.regionId,
    policyVersion: policy.version,
    quotedOn: today,
    members,
    byPayer,
    byPayerGroup,
    totalFen: sumAmounts(byPayer),
    ok: members.every((m) => m.errors.length === 0),
  };
}

/** Throw a ValidationError (Chinese, with field paths) when the quote cannot be signed. */
export function assertQuoteOk(q: Quote): void {
  const fields: FieldIssue[] = [];
  q.members.forEach((m, i) => {
    for (const e of m.errors) fields.push({ path: `members.${i}.packageCodes`, message: e.message });
  });
  if (fields.length) throw new ValidationError(fields, fields[0]!.message, 'QUOTE_NOT_SIGNABLE');
}
