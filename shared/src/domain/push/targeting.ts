/**
 * Which tip a signed resident gets this quarter (issue 7; yongkang 基本服务包 第4项 健康知识推送
 * "每季度不少于1条"). Pure: tips, the resident's profile, their push history and `today` are
 * parameters.
 *
 * A resident's profile comes from the agreement only (docs/table-design.md "Agreements"): the
 * coarse age group, sex, the package codes they hold, and the conditions those packages imply
 * (a hypertension package is only open to hypertension patients, so holding it says so). Health
 * conditions declared on the member item stay encrypted and are never read for targeting.
 */
import type { LocalDate, Quarter } from '../dates';
import { quarterRange } from '../dates';
import type { Condition, Sex } from '../person';
import type { PopulationMatcher } from '../policy/types';

export const TIP_CATEGORIES = { daily: '日常健康', prevention: '疾病预防', wellness: '养生保健', tcm: '中医药' } as const;
export type TipCategory = keyof typeof TIP_CATEGORIES;
export const TIP_CATEGORY_CODES = Object.keys(TIP_CATEGORIES) as TipCategory[];

/** Same codes as the agreement's `ageGroup` (shared/src/schemas/agreements.ts AGE_GROUPS). */
export type PushAgeGroup = 'child_0_6' | 'minor_7_17' | 'adult_18_64' | 'elderly_65';

export interface PlanningTip {
  id: string;
  category: TipCategory;
  /** Empty = every age group. */
  ageGroups: PushAgeGroup[];
  /** Empty = anyone; otherwise at least one must be implied by the resident's packages. */
  conditions: Condition[];
  /** Empty = any package; otherwise the resident must hold at least one of them. */
  packageCodes: string[];
  /** Only for residents signed with this institution (an institution's own tip). */
  institutionId?: string;
  publishFrom: LocalDate;
  publishTo?: LocalDate | null;
}

export interface ResidentProfile {
  ageGroup: PushAgeGroup;
  sex: Sex;
  packageCodes: string[];
  /** Conditions implied by the packages held (impliedConditions). */
  conditions: Condition[];
  institutionId: string;
}

export interface PushHistory {
  /** Tips already received, oldest first. */
  tipIds: string[];
}

export interface TipChoice {
  tipId: string;
  score: number;
  /** Every matching tip had been received before: the least recently received one is sent again. */
  repeat: boolean;
}

/** Conditions a package's eligibility rules require (any branch of anyOf counts; `not` does not). */
export function impliedConditions(packages: { eligibility: { when: PopulationMatcher }[] }[]): Condition[] {
  const out = new Set<Condition>();
  const walk = (m: PopulationMatcher) => {
    for (const c of m.anyConditions ?? []) out.add(c);
    for (const c of m.allConditions ?? []) out.add(c);
    for (const sub of m.anyOf ?? []) walk(sub);
  };
  for (const p of packages) for (const rule of p.eligibility) walk(rule.when);
  return [...out].sort();
}

/** The tip is approved-and-published on `today` (the window is inclusive). */
export function isPublished(tip: Pick<PlanningTip, 'publishFrom' | 'publishTo'>, today: LocalDate): boolean {
  return tip.publishFrom <= today && (!tip.publishTo || tip.publishTo >= today);
}

/** How well a tip fits; null when it does not apply to the resident at all. */
export function tipScore(tip: PlanningTip, p: ResidentProfile): number | null {
  if (tip.institutionId && tip.institutionId !== p.institutionId) return null;
  if (tip.ageGroups.length && !tip.ageGroups.includes(p.ageGroup)) return null;
  if (tip.conditions.length && !tip.conditions.some((c) => p.conditions.includes(c))) return null;
  if (tip.packageCodes.length && !tip.packageCodes.some((c) => p.packageCodes.includes(c))) return null;
  // Specific beats general: a condition or package match says more than an age group.
  let score = 0;
  if (tip.conditions.length) score += 4;
  if (tip.packageCodes.length) score += 4;
  if (tip.ageGroups.length) score += 2;
  if (tip.institutionId) score += 1;
  return score;
}

/**
 * The best-matching published tip the resident has not received yet; when they have received
 * every matching tip, the one received longest ago (repeat) — the quarterly promise outranks
 * novelty. Ties: a category other than the last one received, then the earliest published, then id.
 * null only when no published tip matches at all.
 */
export function pickTip(profile: ResidentProfile, tips: PlanningTip[], history: PushHistory, today: LocalDate): TipChoice | null {
  const received = new Set(history.tipIds);
  const lastTip = history.tipIds.length ? tips.find((t) => t.id === history.tipIds[history.tipIds.length - 1]) : undefined;
  const candidates: { tip: PlanningTip; score: number }[] = [];
  for (const tip of tips) {
    if (!isPublished(tip, today)) continue;
    const score = tipScore(tip, profile);
    if (score !== null) candidates.push({ tip, score });
  }
  if (candidates.length === 0) return null;
  const fresh = candidates.filter((c) => !received.has(c.tip.id));
  if (fresh.length) {
    const rank = (c: { tip: PlanningTip; score: number }) => c.score * 2 + (lastTip && c.tip.category !== lastTip.category ? 1 : 0);
    fresh.sort((a, b) => rank(b) - rank(a) || a.tip.publishFrom.localeCompare(b.tip.publishFrom) || a.tip.id.localeCompare(b.tip.id));
    return { tipId: fresh[0]!.tip.id, score: fresh[0]!.score, repeat: false };
  }
  const order = new Map(history.tipIds.map((id, i) => [id, i] as const));
  // Every match was received: the best score first, then the one received longest ago.
  candidates.sort((a, b) => b.score - a.score || (order.get(a.tip.id) ?? 0) - (order.get(b.tip.id) ?? 0));
  return { tipId: candidates[0]!.tip.id, score: candidates[0]!.score, repeat: true };
}

/**
 * A member of an active agreement is a signed resident to cover in `quarter` when, as of `today`,
 * the agreement's cycle has begun and reaches into the quarter (a liyang Q4 signing for next year
 * is covered from the quarter its cycle starts in).
 */
export function coveredInQuarter(cycle: { cycleStart: LocalDate; cycleEnd: LocalDate }, quarter: Quarter | string, today: LocalDate): boolean {
  const { start, end } = quarterRange(quarter);
  const upTo = today < end ? today : end;
  return cycle.cycleStart <= upTo && cycle.cycleEnd >= start;
}

export interface PlanInput {
  key: string;
  profile: ResidentProfile;
  history: PushHistory;
  /** The quarters already covered (the resident's history). */
  coveredQuarters: string[];
}

export type PlanOutcome = { key: string; kind: 'covered' } | { key: string; kind: 'send'; choice: TipChoice } | { key: string; kind: 'no_tip' };

/** One decision per resident: already covered this quarter, send a tip, or no tip matches. */
export function plannedPushes(residents: PlanInput[], tips: PlanningTip[], quarter: Quarter | string, today: LocalDate): PlanOutcome[] {
  return residents.map((r) => {
    if (r.coveredQuarters.includes(quarter)) return { key: r.key, kind: 'covered' };
    const choice = pickTip(r.profile, tips, r.history, today);
    return choice ? { key: r.key, kind: 'send', choice } : { key: r.key, kind: 'no_tip' };
  });
}

/**
 * The published tips that fit a resident, best fit first, then the newest (健康知识 "为您推荐",
 * separate from the tips pushed to them). Same fit rule as the push (tipScore).
 */
export function fittingTips(profile: ResidentProfile, tips: PlanningTip[], today: LocalDate): { tipId: string; score: number }[] {
  const out: { tip: PlanningTip; score: number }[] = [];
  for (const tip of tips) {
    if (!isPublished(tip, today)) continue;
    const score = tipScore(tip, profile);
    if (score !== null) out.push({ tip, score });
  }
  out.sort((a, b) => b.score - a.score || b.tip.publishFrom.localeCompare(a.tip.publishFrom) || a.tip.id.localeCompare(b.tip.id));
  return out.map((o) => ({ tipId: o.tip.id, score: o.score }));
}
