/**
 * 健康知识 for residents, beside the tips pushed to them (GET /me/messages?kind=tip):
 *   GET /me/tips        the approved, published tips that fit someone in the household
 *   GET /me/tips/{id}   one of them (404 when it fits nobody in the household)
 *
 * Fit is the push's own rule (shared tipScore): a signed member is described by their agreement
 * (region and institution, age group, the packages held and the conditions those imply — what
 * the team confirmed at signing); an unsigned member by their age group from the birth date, and
 * only the platform's starter library applies (their region is not known yet). Declared health
 * conditions are not read here: their consent covers eligibility and service, not recommendations
 * (docs/decisions.md).
 */
import { NotFoundError } from '@jiayi/shared/domain/errors';
import { ageOn, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { ageGroupOf } from '@jiayi/shared/domain/agreements/lifecycle';
import { CONDITIONS } from '@jiayi/shared/domain/person';
import { fittingTips, TIP_CATEGORIES, type PlanningTip, type ResidentProfile } from '@jiayi/shared/domain/push/targeting';
import { AGE_GROUPS } from '@jiayi/shared/schemas/agreements';
import { tipIdParams, type LibraryTipView } from '@jiayi/shared/schemas/push';
import { route, router } from '../http/with-http';
import { listAgreementsForAccount } from '../db/agreements.repo';
import { listHousehold } from '../db/household.repo';
import { ALL_REGIONS, approvedTipsFor, planningTip, type TipRecord } from '../db/tips.repo';
import { residentProfile } from '../push/planner';

const MAX_TIPS = 30;

interface MemberProfile {
  memberId: string;
  name: string;
  regionId: string;
  profile: ResidentProfile | null;
}

async function householdProfiles(accountId: string, today: LocalDate): Promise<MemberProfile[]> {
  const [members, agreements] = await Promise.all([listHousehold(accountId), listAgreementsForAccount(accountId)]);
  const current = agreements.filter((a) => a.status === 'active' && a.cycleEnd >= today);
  return members.map((m) => {
    const a = current.find((x) => x.members.some((am) => am.memberId === m.memberId));
    const am = a?.members.find((x) => x.memberId === m.memberId);
    const ageGroup = m.birthDate ? ageGroupOf(ageOn(m.birthDate, today)) : am?.ageGroup;
    if (a && am) return { memberId: m.memberId, name: m.name, regionId: a.regionId, profile: { ...residentProfile(a, am), ...(ageGroup && { ageGroup }) } };
    return {
      memberId: m.memberId,
      name: m.name,
      regionId: ALL_REGIONS,
      profile: ageGroup && m.sex ? { ageGroup, sex: m.sex, packageCodes: [], conditions: [], institutionId: '' } : null,
    };
  });
}

function audience(t: TipRecord): string {
  const parts: string[] = [];
  if (t.conditions.length) parts.push(`${t.conditions.map((c) => CONDITIONS[c]).join('、')}患者`);
  if (t.ageGroups.length) parts.push(t.ageGroups.map((g) => (g === 'elderly_65' ? '65岁及以上老年人' : `${AGE_GROUPS[g]}人群`)).join('、'));
  if (t.packageCodes.length && !t.conditions.length) parts.push('签约相应服务包的居民');
  if (!parts.length) return t.institutionId ? '签约机构推荐' : '适合所有居民';
  return `适合${parts.join('中的')}`;
}

/** The fitting tips, best fit for anyone in the household first. */
async function library(accountId: string, today: LocalDate): Promise<LibraryTipView[]> {
  const profiles = await householdProfiles(accountId, today);
  const regions = [...new Set(profiles.map((p) => p.regionId).concat(ALL_REGIONS))];
  const records = new Map<string, TipRecord>();
  for (const r of regions) for (const t of await approvedTipsFor(r)) records.set(t.id, t);
  const byRegion = (regionId: string): PlanningTip[] =>
    [...records.values()].filter((t) => t.regionId === ALL_REGIONS || t.regionId === regionId).map(planningTip);
  const hits = new Map<string, { score: number; members: { memberId: string; name: string }[] }>();
  const add = (tipId: string, score: number, who?: MemberProfile) => {
    const h = hits.get(tipId) ?? { score, members: [] };
    h.score = Math.max(h.score, score);
    if (who) h.members.push({ memberId: who.memberId, name: who.name });
    hits.set(tipId, h);
  };
  for (const p of profiles) {
    if (p.profile) for (const f of fittingTips(p.profile, byRegion(p.regionId), today)) add(f.tipId, f.score, p);
  }
  if (!hits.size) {
    // Nobody described yet (no identity saved): the tips meant for everyone.
    for (const t of byRegion(ALL_REGIONS)) {
      if (!t.ageGroups.length && !t.conditions.length && !t.packageCodes.length && !t.institutionId && t.publishFrom <= today && (!t.publishTo || t.publishTo >= today)) add(t.id, 0);
    }
  }
  return [...hits.entries()]
    .map(([id, h]) => ({ t: records.get(id)!, ...h }))
    .sort((a, b) => b.score - a.score || b.t.publishFrom.localeCompare(a.t.publishFrom) || a.t.id.localeCompare(b.t.id))
    .slice(0, MAX_TIPS)
    .map(({ t, members }) => ({
      id: t.id,
      title: t.title,
      category: t.category,
      categoryName: TIP_CATEGORIES[t.category],
      bodyHtml: t.bodyHtml,
      audience: audience(t),
      forMembers: members,
    }));
}

export const handler = router({
  'GET /me/tips': route({ auth: 'resident' }, async ({ principal, now }) => ({ tips: await library(principal.sub, localDateOf(now)) })),

  'GET /me/tips/{id}': route({ auth: 'resident', params: tipIdParams }, async ({ principal, params, now }) => {
    const tip = (await library(principal.sub, localDateOf(now))).find((t) => t.id === params.id);
    if (!tip) throw new NotFoundError('未找到该条健康知识', 'TIP_NOT_FOUND');
    return { tip };
  }),
});
