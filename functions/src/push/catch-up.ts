/**
 * The health-push catch-up (issue 11): a resident whose agreement becomes active after the
 * quarter's planned push still gets the quarter's tip within minutes. Every activation leaves a
 * marker in its own transaction (push-activations.repo.ts); this sweep, scheduled every two
 * minutes, reads the markers written since its watermark (minus an overlap for index lag and
 * clock skew between Lambdas), plans those agreements with the same `planAgreements` as the
 * quarter planner and enqueues the send jobs. Exactly once per (resident, quarter) still holds:
 * the sender's delivery record is the guard, a resident already covered is skipped here, and an
 * overlap or a repeated sweep only costs a duplicate job the sender drops.
 *
 * It does not write planner run statistics: the compliance report reads the quarter's latest
 * full run (docs/push-at-scale.md "Compliance").
 */
import { randomUUID } from 'node:crypto';
import { localDateOf, quarterOf } from '@jiayi/shared/domain/dates';
import type { PlanningTip } from '@jiayi/shared/domain/push/targeting';
import { ACTIVE_SHARDS, getAgreement, type AgreementRecord } from '../db/agreements.repo';
import { getCatchUpWatermark, listActivations, putCatchUpWatermark, type ActivationMarker } from '../db/push-activations.repo';
import { approvedTipsFor, planningTip } from '../db/tips.repo';
import { enqueueJobs, planAgreements, type AgreementsPlan, type RunTotals } from './planner';
import type { PushQueue } from './queue';

/** Markers are read again for this long behind the watermark (index lag, skew between Lambdas). */
export const CATCH_UP_OVERLAP_MS = 10 * 60_000;
/** Without a watermark (first sweep ever), markers of this long ago are read. */
export const CATCH_UP_FIRST_LOOKBACK_MS = 24 * 3_600_000;

export interface CatchUpResult {
  runId: string;
  quarter: string;
  from: string;
  until: string;
  activations: number;
  totals: RunTotals;
}

/** The window of activation instants a sweep at `now` reads, given the last sweep's watermark. Pure. */
export function catchUpWindow(now: Date, watermark: string | undefined): { from: string; until: string } {
  const until = now.getTime();
  const from = watermark ? Math.min(Date.parse(watermark), until) - CATCH_UP_OVERLAP_MS : until - CATCH_UP_FIRST_LOOKBACK_MS;
  return { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
}

async function markersIn(from: string, until: string): Promise<ActivationMarker[]> {
  const shards = await Promise.all(Array.from({ length: ACTIVE_SHARDS }, (_, shard) => listActivations({ shard, from, to: until })));
  return shards.flat();
}

export async function catchUp(opts: { now: Date; queue: PushQueue }): Promise<CatchUpResult> {
  const today = localDateOf(opts.now);
  const quarter = quarterOf(today);
  const runId = `catchup-${opts.now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const { from, until } = catchUpWindow(opts.now, await getCatchUpWatermark());
  const markers = await markersIn(from, until);
  const ids = [...new Set(markers.map((m) => m.agreementId))];
  // The agreement as it is now (consistent read): only one still active is planned.
  const agreements = (await Promise.all(ids.map((id) => getAgreement(id)))).filter((a): a is AgreementRecord => a?.status === 'active');
  const byRegion = new Map<string, AgreementRecord[]>();
  for (const a of agreements) byRegion.set(a.regionId, [...(byRegion.get(a.regionId) ?? []), a]);
  const plan: AgreementsPlan = { totals: { agreements: 0, signed: 0, alreadyCovered: 0, enqueued: 0, noTip: 0 }, teams: new Map(), jobs: [] };
  for (const [regionId, list] of byRegion) {
    const tips: PlanningTip[] = (await approvedTipsFor(regionId)).map(planningTip);
    await planAgreements(list, { quarter, today, now: opts.now, runId, tips }, plan);
  }
  await enqueueJobs(opts.queue, plan.jobs, true);
  // Only after the jobs are on the queue: a failed sweep is read again by the next one.
  await putCatchUpWatermark(until, opts.now.toISOString());
  return { runId, quarter, from, until, activations: markers.length, totals: plan.totals };
}
