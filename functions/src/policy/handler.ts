/**
 * The policy engine over HTTP (issue 4). Pure reads of data compiled into the bundle: no table
 * access except for a household member's eligibility, which loads that member.
 *   GET  /regions                         region summaries
 *   GET  /regions/{id}                    one region's policy summary (onDate or version)
 *   GET  /regions/{id}/packages           the region's package catalog with items and frequencies
 *   POST /quotes                          household + chosen packages → per-member, per-package,
 *                                         per-payer breakdown and totals, plus eligibility errors
 */
import * as z from 'zod';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { allPolicies, policyFor, policyVersion, catalogView, regionSummary, quote, type RegionPolicy } from '@jiayi/shared/domain/policy';
import { catalogQuerySchema, quoteRequestSchema, regionIdSchema } from '@jiayi/shared/schemas/policy';
import { route, router } from '../http/with-http';

const regionParams = z.object({ id: regionIdSchema });
const regionQuery = catalogQuerySchema.omit({ regionId: true });

function pickPolicy(regionId: string, q: { onDate?: string; version?: string }, now: Date): RegionPolicy {
  return q.version ? policyVersion(regionId, q.version) : policyFor(regionId, q.onDate ?? localDateOf(now));
}

export const handler = router({
  'GET /regions': route({ auth: 'none' }, async ({ now }) => {
    const today = localDateOf(now);
    const latest = new Map<string, RegionPolicy>();
    for (const p of allPolicies()) {
      if (p.effectiveFrom > today && latest.has(p.regionId)) continue;
      const prev = latest.get(p.regionId);
      if (!prev || prev.effectiveFrom < p.effectiveFrom) latest.set(p.regionId, p);
    }
    return { regions: [...latest.values()].map(regionSummary) };
  }),

  'GET /regions/{id}': route({ auth: 'none', params: regionParams, query: regionQuery }, async ({ params, query, now }) =>
    regionSummary(pickPolicy(params.id, query, now)),
  ),

  'GET /regions/{id}/packages': route({ auth: 'none', params: regionParams, query: regionQuery }, async ({ params, query, now }) => {
    const policy = pickPolicy(params.id, query, now);
    return { regionId: policy.regionId, policyVersion: policy.version, packages: catalogView(policy) };
  }),

  'POST /quotes': route({ auth: 'none', body: quoteRequestSchema }, async ({ body, now }) => {
    const onDate = body.onDate ?? localDateOf(now);
    const policy = policyFor(body.regionId, onDate);
    const q = quote({ members: body.members, institutionValues: body.institutionValues }, policy, onDate);
    return q;
  }),
});
