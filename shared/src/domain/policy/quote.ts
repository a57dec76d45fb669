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
import { allocate, type Fen } from '../money';
import type { PersonFacts } from '../person';
import { ageOf, ineligibilityReasons, matchesAt, uninsuredReason } from './eligibility';
import {
  PAYER_CODES,
  PAYER_GROUPS,
  PAYERS,
  type InstitutionValues,
  type Payer,
  type RegionPolicy,
  type ServicePackage,
  type WeightedPayer,
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

export function zeroAmounts(): PayerAmounts {
  // A literal (not Object.fromEntries): this runs several times per line on the quote hot path.
  return {
    resident: 0,
    insurance_fund: 0,
    public_health: 0,
    finance_city: 0,
    finance_county: 0,
    civil_affairs: 0,
    charity_city: 0,
    charity_other: 0,
    institution: 0,
  } satisfies Record<Payer, Fen>;
}

function sumAmounts(a: PayerAmounts): Fen {
  let s = 0;
  for (const p of PAYER_CODES) s += a[p];
  return s;
}

function addInto(target: PayerAmounts, src: PayerAmounts): void {
  for (const p of PAYER_CODES) target[p] += src[p];
}

function splitInto(target: PayerAmounts, amount: Fen, payers: WeightedPayer[]): void {
  const parts = allocate(amount, payers.map((w) => w.weight));
  payers.forEach((w, i) => (target[w.payer] += parts[i]!));
}

/** 50元 / 12.5元 style for Chinese messages. */
export function formatYuan(fen: Fen): string {
  return fen % 100 === 0 ? `${fen / 100}元` : `${(fen / 100).toFixed(2)}元`;
}

function sharesOf(a: PayerAmounts): PayerShare[] {
  return PAYER_CODES.filter((p) => a[p] !== 0).map((p) => ({ payer: p, label: PAYERS[p], amountFen: a[p] }));
}

type Priced = { ok: true; priceFen: Fen; amounts: PayerAmounts; notes: string[]; costBornBy: Payer | null } | { ok: false; issue: QuoteIssue };

const isFenValue = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n) && n >= 0;

function invalid(pkg: ServicePackage, message: string): Priced {
  return { ok: false, issue: { packageCode: pkg.code, code: 'INVALID_INSTITUTION_VALUE', message } };
}
function notSet(pkg: ServicePackage, message: string): Priced {
  return { ok: false, issue: { packageCode: pkg.code, code: 'PRICE_NOT_SET', message } };
}

/** Price one package for one person. */
export function priceLine(pkg: ServicePackage, person: PersonFacts, age: number, signingKind: SigningKind, iv: InstitutionValues): Priced {
  const r = pkg.pricing;
  const amounts = zeroAmounts();
  const notes: string[] = [];
  for (const c of pkg.conditionalNotes) if (matchesAt(c.when, person, age)) notes.push(c.text);

  const uninsured = uninsuredReason(pkg, person, signingKind);
  if (uninsured) return { ok: false, issue: { packageCode: pkg.code, code: 'NOT_ELIGIBLE', message: uninsured } };

  switch (r.kind) {
    case 'fixed': {
      if (r.freeSigningAllowed && signingKind === 'free') {
        notes.push('不收费签约：不收取签约服务费，只享受基本型服务');
        return { ok: true, priceFen: 0, amounts, notes, costBornBy: null };
      }
      for (const s of r.shares) amounts[s.payer] += s.amountFen;
      if (!person.insuredLocally && amounts.insurance_fund > 0) {
        // liyang-2019 §三(一): 未参加溧阳市基本医疗保险的居民，医保基金承担的经费由居民个人支付.
        const target: Payer = r.uninsured.to === 'institution' ? 'institution' : 'resident';
        notes.push(target === 'resident' ? `未参加本地基本医疗保险，医保基金承担的${formatYuan(amounts.insurance_fund)}由个人支付` : '未参加本地基本医疗保险，医保基金部分由机构承担');
        amounts[target] += amounts.insurance_fund;
        amounts.insurance_fund = 0;
      }
      const cover = r.residentCover.find((c) => matchesAt(c.when, person, age));
      if (cover && amounts.resident > 0) {
        const share = amounts.resident;
        amounts.resident = 0;
        splitInto(amounts, share, cover.payers);
        notes.push(cover.label);
      }
      let price = r.priceFen;
      for (const s of r.supplements) {
        if (!matchesAt(s.when, person, age)) continue;
        splitInto(amounts, s.amountFen, s.payers);
        price += s.amountFen;
        notes.push(s.label);
      }
      return { ok: true, priceFen: price, amounts, notes, costBornBy: null };
    }
    case 'minimum': {
      const price = iv.priceFen ?? r.minFen;
      if (!isFenValue(price)) return invalid(pkg, '服务包价格须为以分计的非负整数');
      if (price < r.minFen) return invalid(pkg, `「${pkg.name}」签约服务费不得低于${formatYuan(r.minFen)}`);
      let fixed = 0;
      for (const s of r.fixedShares) {
        amounts[s.payer] += s.amountFen;
        fixed += s.amountFen;
      }
      amounts[r.remainderPayer] += price - fixed;
      if (!person.insuredLocally && amounts.insurance_fund > 0) {
        const target: Payer = r.uninsured.to === 'resident' ? 'resident' : 'institution';
        amounts[target] += amounts.insurance_fund;
        amounts.insurance_fund = 0;
      }
      if (iv.priceFen === undefined) notes.push(`按不低于${formatYuan(r.minFen)}的最低标准计算`);
      return { ok: true, priceFen: price, amounts, notes, costBornBy: null };
    }
    case 'free':
      notes.push(r.note);
      return { ok: true, priceFen: 0, amounts, notes, costBornBy: r.costBornBy };
    case 'included':
      notes.push(r.note);
      return { ok: true, priceFen: 0, amounts, notes, costBornBy: null };
    case 'institution_set': {
      if (iv.priceFen === undefined) {
        return notSet(pkg, `「${pkg.name}」的价格须由签约机构按规定设定（${r.note}），机构尚未设定，暂不能报价`);
      }
      const price = iv.priceFen;
      if (!isFenValue(price)) return invalid(pkg, '服务包价格须为以分计的非负整数');
      if (r.minFen !== null && price < r.minFen) return invalid(pkg, `「${pkg.name}」价格不得低于${formatYuan(r.minFen)}`);
      if (r.maxFen !== null && price > r.maxFen) return invalid(pkg, `「${pkg.name}」价格不得高于${formatYuan(r.maxFen)}`);
      const split = r.split;
      switch (split.kind) {
        case 'resident_all':
          amounts.resident = price;
          break;
        case 'resident_with_subsidy': {
          const subsidy = iv.subsidyFen ?? 0;
          if (!isFenValue(subsidy)) return invalid(pkg, '补助金额须为以分计的非负整数');
          if (subsidy > price) return invalid(pkg, '补助金额不得超过服务包价格');
          amounts[split.subsidyPayer] = subsidy;
          amounts.resident = price - subsidy;
          if (subsidy > 0) notes.push(`县区补助${formatYuan(subsidy)}`);
          break;
        }
        case 'resident_share': {
          const bp = iv.residentShareBp;
          if (bp === undefined) {
            return notSet(pkg, `「${pkg.name}」须由签约机构核定居民付费比例（原则上在${split.minBp / 100}%—${split.maxBp / 100}%之间），尚未核定，暂不能报价`);
          }
          if (!Number.isInteger(bp) || bp < split.minBp || bp > split.maxBp) {
            return invalid(pkg, `居民付费比例须在${split.minBp / 100}%—${split.maxBp / 100}%之间`);
          }
          const insurance = iv.insuranceFen;
          if (insurance === undefined) {
            return notSet(pkg, `「${pkg.name}」的医保基金支付额须由统筹区确定（不超过${formatYuan(split.insuranceMaxFen)}），尚未确定，暂不能报价`);
          }
          if (!isFenValue(insurance) || insurance > split.insuranceMaxFen) {
            return invalid(pkg, `医保基金支付额不得超过${formatYuan(split.insuranceMaxFen)}`);
          }
          const [resident, rest] = allocate(price, [bp, 10_000 - bp]) as [Fen, Fen];
          const fund = Math.min(insurance, rest);
          amounts.resident = resident;
          amounts.insurance_fund = fund;
          amounts[split.remainderPayer] += rest - fund;
          notes.push(`居民按价格的${bp / 100}%付费，医保基金支付${formatYuan(fund)}`);
          if (rest - fund > 0) notes.push(`其余${formatYuan(rest - fund)}为签约优惠，由${PAYERS[split.remainderPayer]}`);
          break;
        }
      }
      return { ok: true, priceFen: price, amounts, notes, costBornBy: null };
    }
  }
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
