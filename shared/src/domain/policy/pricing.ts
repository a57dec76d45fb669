/**
 * Pricing one package for one person (the quote's line): the price, each payer's amount in fen
 * and the notes, from the package's pricing rule in the policy data. Pure; the amounts of a line
 * add up to its price exactly (weighted splits go through money.allocate()).
 */
import { allocate, type Fen } from '../money';
import type { PersonFacts } from '../person';
import { matchesAt, uninsuredReason } from './eligibility';
import { PAYER_CODES, PAYERS, type InstitutionValues, type Payer, type ServicePackage, type WeightedPayer } from './types';
import type { PayerAmounts, PayerShare, QuoteIssue, SigningKind } from './quote';

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

export function sumAmounts(a: PayerAmounts): Fen {
  let s = 0;
  for (const p of PAYER_CODES) s += a[p];
  return s;
}

export function addInto(target: PayerAmounts, src: PayerAmounts): void {
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

export function sharesOf(a: PayerAmounts): PayerShare[] {
  return PAYER_CODES.filter((p) => a[p] !== 0).map((p) => ({ payer: p, label: PAYERS[p], amountFen: a[p] }));
}

export type Priced = { ok: true; priceFen: Fen; amounts: PayerAmounts; notes: string[]; costBornBy: Payer | null } | { ok: false; issue: QuoteIssue };

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
