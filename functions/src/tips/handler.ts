/**
 * The health-tip library for the clinic console (issue 7):
 *   GET  /tips?status             the caller's region's tips and the starter library (全国通用)
 *   POST /tips                    a new draft (any staff; scoped to the author's institution,
 *                                 or region-wide for a region admin)
 *   PUT  /tips/{id}               edit a draft
 *   POST /tips/{id}/approve       draft → approved (institution admin for their institution's
 *                                 tips, region admin for any tip of the region)
 *   POST /tips/{id}/retire        draft|approved → retired (same roles)
 * Bodies are sanitised to the safe subset (paragraphs, bold, lists) before they are stored.
 */
import { randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '@jiayi/shared/domain/errors';
import { parseTipHtml, sanitizeTipHtml } from '@jiayi/shared/domain/push/rich-text';
import { TIP_CATEGORIES } from '@jiayi/shared/domain/push/targeting';
import { retireBody, tipBody, tipIdParams, tipsQuery, TIP_STATUSES, type TipView } from '@jiayi/shared/schemas/push';
import type { Principal } from '../http/auth';
import { route, router } from '../http/with-http';
import { ALL_REGIONS, getTip, listTips, putTip, transitionTip, updateDraft, type TipRecord } from '../db/tips.repo';

function canEdit(p: Principal, t: TipRecord): boolean {
  if (t.regionId === ALL_REGIONS || t.regionId !== p.regionId) return false;
  return p.role === 'region_admin' || (!!t.institutionId && t.institutionId === p.institutionId);
}

function canApprove(p: Principal, t: TipRecord): boolean {
  if (t.regionId === ALL_REGIONS || t.regionId !== p.regionId) return false;
  if (p.role === 'region_admin') return true;
  return p.role === 'institution_admin' && !!t.institutionId && t.institutionId === p.institutionId;
}

function visible(p: Principal, t: TipRecord): boolean {
  if (t.regionId === ALL_REGIONS) return true;
  if (t.regionId !== p.regionId) return false;
  return p.role === 'region_admin' || !t.institutionId || t.institutionId === p.institutionId;
}

function view(p: Principal, t: TipRecord): TipView {
  return {
    id: t.id,
    regionId: t.regionId,
    institutionId: t.institutionId,
    title: t.title,
    bodyHtml: t.bodyHtml,
    blocks: parseTipHtml(t.bodyHtml),
    category: t.category,
    categoryName: TIP_CATEGORIES[t.category],
    ageGroups: t.ageGroups,
    conditions: t.conditions,
    packageCodes: t.packageCodes,
    publishFrom: t.publishFrom,
    publishTo: t.publishTo,
    status: t.status,
    statusName: TIP_STATUSES[t.status],
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    approvedBy: t.approvedBy,
    approvedAt: t.approvedAt,
    retiredAt: t.retiredAt,
    canApprove: t.status === 'draft' && canApprove(p, t),
    canRetire: t.status !== 'retired' && canApprove(p, t),
  };
}

async function loadVisible(p: Principal, id: string): Promise<TipRecord> {
  const t = await getTip(id);
  if (!t || !visible(p, t)) throw new NotFoundError('未找到该健康知识', 'TIP_NOT_FOUND');
  return t;
}

export const handler = router({
  'GET /tips': route({ auth: 'staff', query: tipsQuery }, async ({ principal, query }) => {
    const [own, all] = await Promise.all([listTips(principal.regionId ?? '', query.status), listTips(ALL_REGIONS, query.status)]);
    return { tips: [...own.filter((t) => visible(principal, t)), ...all].map((t) => view(principal, t)) };
  }),

  'POST /tips': route({ auth: 'staff', body: tipBody }, async ({ principal, body, now }) => {
    if (!principal.regionId) throw new ForbiddenError('当前账号未分配地区，无法编写健康知识');
    const at = now.toISOString();
    const tip: TipRecord = {
      id: randomUUID(),
      regionId: principal.regionId,
      institutionId: principal.role === 'region_admin' ? null : (principal.institutionId ?? null),
      title: body.title,
      bodyHtml: sanitizeTipHtml(body.body),
      category: body.category,
      ageGroups: body.ageGroups,
      conditions: body.conditions,
      packageCodes: body.packageCodes,
      publishFrom: body.publishFrom,
      publishTo: body.publishTo ?? null,
      status: 'draft',
      createdBy: principal.sub,
      createdAt: at,
      updatedAt: at,
      approvedBy: null,
      approvedAt: null,
      retiredBy: null,
      retiredAt: null,
      retireReason: null,
    };
    await putTip(tip);
    return { status: 201, body: { tip: view(principal, tip) } };
  }),

  'PUT /tips/{id}': route({ auth: 'staff', params: tipIdParams, body: tipBody }, async ({ principal, params, body, now }) => {
    const t = await loadVisible(principal, params.id);
    if (!canEdit(principal, t)) throw new ForbiddenError('无权修改该健康知识', 'OUT_OF_SCOPE');
    const next: TipRecord = {
      ...t,
      title: body.title,
      bodyHtml: sanitizeTipHtml(body.body),
      category: body.category,
      ageGroups: body.ageGroups,
      conditions: body.conditions,
      packageCodes: body.packageCodes,
      publishFrom: body.publishFrom,
      publishTo: body.publishTo ?? null,
      updatedAt: now.toISOString(),
    };
    await updateDraft(next);
    return { tip: view(principal, next) };
  }),

  'POST /tips/{id}/approve': route({ auth: 'staff', params: tipIdParams }, async ({ principal, params, now }) => {
    const t = await loadVisible(principal, params.id);
    if (!canApprove(principal, t)) throw new ForbiddenError('仅机构管理员（本机构）或区域管理员可以审核发布', 'NOT_APPROVER');
    if (t.status !== 'draft') throw new ForbiddenError('只有草稿可以审核发布', 'TIP_NOT_DRAFT');
    const at = now.toISOString();
    return { tip: view(principal, await transitionTip(t, 'approved', { approvedBy: principal.sub, approvedAt: at }, at)) };
  }),

  'POST /tips/{id}/retire': route({ auth: 'staff', params: tipIdParams, body: retireBody }, async ({ principal, params, body, now }) => {
    const t = await loadVisible(principal, params.id);
    if (!canApprove(principal, t)) throw new ForbiddenError('仅机构管理员（本机构）或区域管理员可以停用', 'NOT_APPROVER');
    if (t.status === 'retired') return { tip: view(principal, t) };
    const at = now.toISOString();
    return { tip: view(principal, await transitionTip(t, 'retired', { retiredBy: principal.sub, retiredAt: at, retireReason: body?.reason ?? null }, at)) };
  }),
});
