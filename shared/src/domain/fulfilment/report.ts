/**
 * Incremental reports (issue 8; docs/reports.md). Every event adds to small counter items in
 * the same transaction that records it; a report sums the counters of one institution:
 *
 *   SIGN  per (month, team): agreements coming into force (`a:*`) and leaving it (`e:*`)
 *   SVC   per (month, team): units delivered per item (`q:<item>`), entries (`n`), referrals (`ref`)
 *   RATE  per (month, team): ratings (`n`), ratings ≥ 4 (`pos`), score sum (`sum`)
 *   CMP   per month: complaints filed (`n`) and handled (`handled`)
 *
 * Pure: the counters, the policy, the register and the month are parameters.
 */
import { addMonths, daysInMonth, makeDate, parts, type LocalDate } from '../dates';
import type { CoverageTarget, PopulationMatcher, RegionPolicy, ServicePackage } from '../policy/types';
import { yearlyQuantity } from '../policy/items';
import type { RegisterTotals } from './register';
import { isReferralItem } from './record';

export type Counters = Record<string, number>;

// ------------------------------------------------------------------------------- signing metrics

export interface AgreementLike {
  status: string;
  origin?: string;
  members: { memberId: string; ageGroup: string; packages: { code: string; category: string; items: { code: string; kind: string; quantity: number | null; per: string | null }[] }[] }[];
}

function mentions(m: PopulationMatcher | undefined, pred: (m: PopulationMatcher) => boolean): boolean {
  if (!m) return false;
  return pred(m) || (m.anyOf ?? []).some((x) => mentions(x, pred));
}

const keyMatcher = (m: PopulationMatcher) =>
  !!m.anyConditions?.length || !!m.allConditions?.length || (m.minAge !== undefined && m.minAge >= 60) || (m.maxAge !== undefined && m.maxAge <= 6);
const specialMatcher = (m: PopulationMatcher) => !!m.anyStatuses?.some((s) => s !== 'retired_cadre');
const hardshipMatcher = (m: PopulationMatcher) => !!m.anyStatuses?.includes('major_illness_hardship');

function packageIs(pkg: ServicePackage | undefined, pred: (m: PopulationMatcher) => boolean): boolean {
  return !!pkg && pkg.category !== 'basic' && pkg.eligibility.some((r) => mentions(r.when, pred));
}

/**
 * What one agreement contributes to the signing counters while it is in force. Key population
 * (DOMAIN.md "Populations"): 65+ / 0–6 by the age group kept at signing, or holding a package
 * whose eligibility is a condition (hypertension, diabetes, pregnancy…) or an age of 60+ / ≤ 6.
 * Special population: holding a package reserved for a status group (liyang 特殊人群, zhangjiagang
 * 大病困难群众…). Conditions themselves are never read (they stay encrypted on the member).
 */
export function signingMetrics(a: AgreementLike, policy: RegionPolicy | undefined): Counters {
  const out: Counters = { h: 1, p: a.members.length };
  const add = (k: string, n: number) => (out[k] = (out[k] ?? 0) + n);
  const find = (code: string) => policy?.packages.find((p) => p.code === code);
  let keyP = 0;
  let specialP = 0;
  let hardship = false;
  let personalized = false;
  const heldBy = new Map<string, number>();
  for (const m of a.members) {
    const pkgs = m.packages.map((p) => find(p.code));
    if (m.ageGroup === 'elderly_65' || m.ageGroup === 'child_0_6' || pkgs.some((p) => packageIs(p, keyMatcher))) keyP++;
    if (pkgs.some((p) => packageIs(p, specialMatcher))) specialP++;
    if (pkgs.some((p) => packageIs(p, hardshipMatcher))) hardship = true;
    for (const p of m.packages) {
      heldBy.set(p.code, (heldBy.get(p.code) ?? 0) + 1);
      if (p.category === 'personalized') personalized = true;
      for (const it of p.items) {
        const q = it.kind === 'count' && it.quantity !== null ? (it.per === 'stage' ? it.quantity : yearlyQuantity(it as never)) : null;
        if (q) add(`prom:${it.code}`, q);
      }
    }
  }
  out.key = keyP;
  out.special = specialP;
  if (hardship) out.hardship_h = 1;
  if (personalized) {
    out.pers_h = 1;
    out.pers_p = a.members.length;
  }
  if (a.origin === 'renewal' || a.origin === 'auto_renewal' || a.origin === 'fall_back') out.renew_h = 1;
  for (const [code, n] of heldBy) {
    // zhangjiagang-2017 附件5 说明1: 服务人数按签约家庭户口薄上的人数统计 — the household's people, not only the holders.
    out[`pkgh:${code}`] = 1;
    out[`pkgp:${code}`] = a.members.length;
    out[`pkgm:${code}`] = n;
  }
  return out;
}

/**
 * Counter deltas of a transition: an agreement coming into force adds `a:<metric>`, one leaving
 * it adds `e:<metric>` (and `e:expired_h` at a cycle end). In force = status active.
 */
export function signingDelta(before: AgreementLike | undefined, after: AgreementLike, policy: RegionPolicy | undefined): Counters {
  const was = before?.status === 'active';
  const is = after.status === 'active';
  if (was === is) return {};
  const metrics = signingMetrics(is ? after : before!, policy);
  const prefix = is ? 'a:' : 'e:';
  const out: Counters = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [prefix + k, v]));
  if (!is && after.status === 'expired') out['e:expired_h'] = 1;
  return out;
}

// ------------------------------------------------------------------------------- months

export type Month = string; // YYYY-MM

export function monthOfDate(d: LocalDate): Month {
  return d.slice(0, 7);
}

export function monthEnd(m: Month): LocalDate {
  const { year, month } = parts(`${m}-01`);
  return makeDate(year, month, daysInMonth(year, month));
}

/** The `n` months ending with `m`, oldest first. */
export function monthsEndingWith(m: Month, n: number): Month[] {
  const out: Month[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(monthOfDate(addMonths(`${m}-01`, -i)));
  return out;
}

export interface CounterRow {
  kind: 'SIGN' | 'SVC' | 'RATE' | 'CMP';
  month: Month;
  teamId: string;
  values: Counters;
}

export function sum(rows: CounterRow[], pred: (r: CounterRow) => boolean): Counters {
  const out: Counters = {};
  for (const r of rows) if (pred(r)) for (const [k, v] of Object.entries(r.values)) out[k] = (out[k] ?? 0) + v;
  return out;
}

// ------------------------------------------------------------------------------- the report

export interface Rate {
  numerator: number;
  denominator: number;
  /** Percent with one decimal, null without a denominator. */
  percent: number | null;
}

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, percent: denominator > 0 ? Math.round((numerator / denominator) * 1000) / 10 : null };
}

export interface CoverageLine extends Rate {
  population: 'overall' | 'key' | 'special' | 'hardship';
  label: string;
  target: { minPercent: number | null; year: number; text: string; source: string } | null;
  meetsTarget: boolean | null;
}

export interface ItemFulfilment extends Rate {
  itemCode: string;
  name: string;
  unit: string;
}

export interface TrendPoint {
  month: Month;
  newHouseholds: number;
  services: number;
  referrals: number;
  satisfaction: number | null;
}

export interface MonthlyReport {
  month: Month;
  asOf: LocalDate;
  signed: { households: number; persons: number; keyPersons: number; specialPersons: number; hardshipHouseholds: number };
  coverage: CoverageLine[];
  /** Renewals that took effect ÷ agreements that reached their cycle end, over the 12 months ending with the month. */
  renewal: Rate;
  /** Units delivered over the 12 months ending with the month ÷ yearly units promised by the agreements in force at its end. */
  fulfilment: ItemFulfilment[];
  satisfaction: { month: Rate; last12: Rate; target: number; meetsTarget: boolean | null; averageScore: number | null };
  complaints: { month: number; handled: number };
  referrals: { month: number; last12: number };
  trend: TrendPoint[];
  registerLoaded: boolean;
}

function pickTarget(targets: CoverageTarget[], population: CoverageTarget['population'], year: number): CoverageTarget | undefined {
  const of = targets.filter((t) => t.population === population).sort((a, b) => a.year - b.year);
  return [...of].reverse().find((t) => t.year <= year) ?? of[0];
}

const POPULATION_TARGET: Record<CoverageLine['population'], CoverageTarget['population'][]> = {
  overall: ['overall'],
  key: ['key'],
  special: ['special', 'poor'],
  hardship: ['hardship'],
};

const POPULATION_LABEL: Record<CoverageLine['population'], string> = {
  overall: '签约服务覆盖率',
  key: '重点人群签约覆盖率',
  special: '特殊人群签约覆盖率',
  hardship: '困难家庭签约服务率',
};

/** weihai-2023 §一: 满意度达到85%以上 — the KPI used where a region's policy names no satisfaction target. */
export const DEFAULT_SATISFACTION_TARGET = 85;

export function itemCatalog(policy: RegionPolicy | undefined): Map<string, { name: string; unit: string; referral: boolean }> {
  const out = new Map<string, { name: string; unit: string; referral: boolean }>();
  for (const p of policy?.packages ?? []) for (const it of p.items) if (!out.has(it.code)) out.set(it.code, { name: it.name, unit: it.unit, referral: isReferralItem(it) });
  return out;
}

export function buildMonthlyReport(input: { month: Month; rows: CounterRow[]; policy: RegionPolicy | undefined; register: RegisterTotals | undefined }): MonthlyReport {
  const { month, rows, policy, register } = input;
  const year = Number(month.slice(0, 4));
  const last12 = new Set(monthsEndingWith(month, 12));
  const signStock = sum(rows, (r) => r.kind === 'SIGN' && r.month <= month);
  const stock = (k: string) => (signStock[`a:${k}`] ?? 0) - (signStock[`e:${k}`] ?? 0);
  const sign12 = sum(rows, (r) => r.kind === 'SIGN' && last12.has(r.month));
  const svc12 = sum(rows, (r) => r.kind === 'SVC' && last12.has(r.month));
  const svcMonth = sum(rows, (r) => r.kind === 'SVC' && r.month === month);
  const rateMonth = sum(rows, (r) => r.kind === 'RATE' && r.month === month);
  const rate12 = sum(rows, (r) => r.kind === 'RATE' && last12.has(r.month));
  const cmpMonth = sum(rows, (r) => r.kind === 'CMP' && r.month === month);

  const signed = { households: stock('h'), persons: stock('p'), keyPersons: stock('key'), specialPersons: stock('special'), hardshipHouseholds: stock('hardship_h') };
  const coverage: CoverageLine[] = (
    [
      ['overall', signed.persons, register?.residents],
      ['key', signed.keyPersons, register?.keyPersons],
      ['special', signed.specialPersons, register?.specialPersons],
      ['hardship', signed.hardshipHouseholds, register?.hardshipHouseholds],
    ] as const
  ).map(([population, n, d]) => {
    const t = POPULATION_TARGET[population].map((p) => pickTarget(policy?.coverageTargets ?? [], p, year)).find(Boolean);
    const r = rate(n, d ?? 0);
    return {
      population,
      label: POPULATION_LABEL[population],
      ...r,
      target: t ? { minPercent: t.minPercent, year: t.year, text: t.text, source: t.source } : null,
      meetsTarget: t?.minPercent != null && r.percent !== null ? r.percent >= t.minPercent : null,
    };
  });

  const catalog = itemCatalog(policy);
  const itemCodes = new Set<string>();
  for (const k of Object.keys(signStock)) if (k.startsWith('a:prom:')) itemCodes.add(k.slice(7));
  for (const k of Object.keys(svc12)) if (k.startsWith('q:')) itemCodes.add(k.slice(2));
  const fulfilment = [...itemCodes]
    .map((code) => ({ itemCode: code, name: catalog.get(code)?.name ?? code, unit: catalog.get(code)?.unit ?? '次', ...rate(svc12[`q:${code}`] ?? 0, stock(`prom:${code}`)) }))
    .filter((f) => f.denominator > 0 || f.numerator > 0)
    .sort((a, b) => a.itemCode.localeCompare(b.itemCode));

  const satTarget = pickTarget(policy?.coverageTargets ?? [], 'satisfaction', year)?.minPercent ?? DEFAULT_SATISFACTION_TARGET;
  const satMonth = rate(rateMonth.pos ?? 0, rateMonth.n ?? 0);
  const sat12 = rate(rate12.pos ?? 0, rate12.n ?? 0);

  const trend: TrendPoint[] = monthsEndingWith(month, 12).map((m) => {
    const s = sum(rows, (r) => r.kind === 'SIGN' && r.month === m);
    const v = sum(rows, (r) => r.kind === 'SVC' && r.month === m);
    const q = sum(rows, (r) => r.kind === 'RATE' && r.month === m);
    return { month: m, newHouseholds: s['a:h'] ?? 0, services: v.n ?? 0, referrals: v.ref ?? 0, satisfaction: rate(q.pos ?? 0, q.n ?? 0).percent };
  });

  return {
    month,
    asOf: monthEnd(month),
    signed,
    coverage,
    renewal: rate(sign12['a:renew_h'] ?? 0, sign12['e:expired_h'] ?? 0),
    fulfilment,
    satisfaction: {
      month: satMonth,
      last12: sat12,
      target: satTarget,
      meetsTarget: sat12.percent === null ? null : sat12.percent >= satTarget,
      averageScore: rate12.n ? Math.round(((rate12.sum ?? 0) / rate12.n) * 10) / 10 : null,
    },
    complaints: { month: cmpMonth.n ?? 0, handled: cmpMonth.handled ?? 0 },
    referrals: { month: svcMonth.ref ?? 0, last12: svc12.ref ?? 0 },
    trend,
    registerLoaded: !!register,
  };
}
