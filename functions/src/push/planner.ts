/**
 * The quarterly planner (issue 7): streams the active agreements of every region shard by shard
 * (listActiveAgreementsPage, never all in memory; shards in parallel with bounded concurrency),
 * decides per signed resident with the pure `plannedPushes` (`planAgreements`, shared with the
 * catch-up sweep of issue 11, push/catch-up.ts), and enqueues send jobs in batches of 10. Each run records per team what it saw (signed, already covered, enqueued, no tip) so the
 * compliance report reads counters, not the table.
 *
 * Idempotent by construction: it never writes a delivery. Running it twice enqueues a resident
 * again only while their first job is still in flight, and the sender's conditional Put makes
 * the second job a no-op.
 */
import { randomUUID } from 'node:crypto';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import { findPackage, policyVersion, REGION_IDS } from '@jiayi/shared/domain/policy';
import { coveredInQuarter, impliedConditions, plannedPushes, type PlanInput, type PlanningTip, type ResidentProfile } from '@jiayi/shared/domain/push/targeting';
import type { Condition } from '@jiayi/shared/domain/person';
import { ACTIVE_SHARDS, listActiveAgreementsPage, type AgreementMemberRecord, type AgreementRecord } from '../db/agreements.repo';
import { approvedTipsFor, planningTip } from '../db/tips.repo';
import { addRunStats, completeRun, getHistories } from '../db/push.repo';
import type { PushJob } from './jobs';
import { SQS_BATCH_SIZE, type PushQueue } from './queue';

export interface PlanOptions {
  quarter: string;
  today: LocalDate;
  now: Date;
  queue: PushQueue;
  regions?: readonly string[];
  /** Shards planned at the same time (each holds one page in memory). */
  concurrency?: number;
  pageSize?: number;
  runId?: string;
  /**
   * 'audit' (closing a quarter that has just ended): count who is covered and who is not, send
   * nothing — a tip after the quarter's end does not keep the quarter's promise.
   */
  mode?: 'plan' | 'audit';
}

export interface RunTotals {
  agreements: number;
  signed: number;
  alreadyCovered: number;
  enqueued: number;
  noTip: number;
}

export interface PlanResult {
  runId: string;
  quarter: string;
  regions: Record<string, RunTotals>;
  totals: RunTotals;
}

const zero = (): RunTotals => ({ agreements: 0, signed: 0, alreadyCovered: 0, enqueued: 0, noTip: 0 });

function add(a: RunTotals, b: RunTotals): void {
  a.agreements += b.agreements;
  a.signed += b.signed;
  a.alreadyCovered += b.alreadyCovered;
  a.enqueued += b.enqueued;
  a.noTip += b.noTip;
}

/** Run ids sort by time: `<yyyymmddThhmmss>-<8 hex>`. */
export function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!);
    }
  });
  await Promise.all(workers);
}

export async function planQuarter(opts: PlanOptions): Promise<PlanResult> {
  const runId = opts.runId ?? newRunId(opts.now);
  const regions = opts.regions ?? REGION_IDS;
  const result: PlanResult = { runId, quarter: opts.quarter, regions: {}, totals: zero() };
  const tipsByRegion = new Map<string, PlanningTip[]>();
  for (const r of regions) tipsByRegion.set(r, (await approvedTipsFor(r)).map(planningTip));
  const work = regions.flatMap((regionId) => Array.from({ length: ACTIVE_SHARDS }, (_, shard) => ({ regionId, shard })));
  const perRegion = new Map<string, RunTotals>(regions.map((r) => [r, zero()]));
  await pool(work, opts.concurrency ?? 8, async ({ regionId, shard }) => {
    const t = await planShard({ ...opts, runId, regionId, shard, tips: tipsByRegion.get(regionId) ?? [] });
    add(perRegion.get(regionId)!, t);
  });
  for (const [regionId, t] of perRegion) {
    await completeRun(regionId, opts.quarter, runId, opts.now.toISOString(), { ...t }, opts.mode ?? 'plan');
    result.regions[regionId] = t;
    add(result.totals, t);
  }
  return result;
}

const conditionCache = new Map<string, Condition[]>();

/** Conditions implied by a package (its eligibility rules), per policy version. */
function conditionsOf(a: AgreementRecord, code: string): Condition[] {
  const k = `${a.regionId}|${a.policyVersion}|${code}`;
  let c = conditionCache.get(k);
  if (!c) {
    let pkg;
    try {
      pkg = findPackage(policyVersion(a.regionId, a.policyVersion), code);
    } catch {
      pkg = undefined;
    }
    c = pkg ? impliedConditions([pkg]) : [];
    conditionCache.set(k, c);
  }
  return c;
}

/** A signed member's targeting profile: from the agreement only (age group, sex, packages and the conditions they imply). */
export function residentProfile(a: AgreementRecord, m: AgreementMemberRecord): ResidentProfile {
  const codes = m.packages.map((p) => p.code);
  return { ageGroup: m.ageGroup, sex: m.sex, packageCodes: codes, conditions: [...new Set(codes.flatMap((c) => conditionsOf(a, c)))], institutionId: a.institutionId };
}

interface TeamCounts {
  institutionId: string;
  signed: number;
  alreadyCovered: number;
  enqueued: number;
  noTip: number;
  unsent: number;
}

/** What planning a set of agreements decided: counts per team and the send jobs (none in audit mode). */
export interface AgreementsPlan {
  totals: RunTotals;
  teams: Map<string, TeamCounts>;
  jobs: PushJob[];
}

/**
 * Decides for every member of the active agreements that cover `quarter` (as of `today`): already
 * covered, a send job, or no matching tip. Shared by the quarter planner (a shard page at a time)
 * and the catch-up sweep (the agreements activated since it last ran). `audit` counts what a
 * closing quarter's figures need and enqueues nothing: a resident still without a tip counts as
 * `unsent`.
 */
export async function planAgreements(
  agreements: AgreementRecord[],
  o: { quarter: string; today: LocalDate; now: Date; runId: string; tips: PlanningTip[]; mode?: 'plan' | 'audit' },
  into: AgreementsPlan = { totals: zero(), teams: new Map(), jobs: [] },
): Promise<AgreementsPlan> {
  const { totals, teams } = into;
  const inQuarter = agreements.filter((a) => a.status === 'active' && coveredInQuarter(a, o.quarter, o.today));
  totals.agreements += inQuarter.length;
  const members = inQuarter.flatMap((a) => a.members.map((m) => ({ a, m })));
  const histories = await getHistories(members.map(({ m }) => m.idHash));
  const inputs: PlanInput[] = members.map(({ a, m }) => {
    const h = histories.get(m.idHash);
    return { key: m.idHash, profile: residentProfile(a, m), history: { tipIds: h?.tipIds ?? [] }, coveredQuarters: h?.quarters ?? [] };
  });
  const outcomes = plannedPushes(inputs, o.tips, o.quarter, o.today);
  outcomes.forEach((out, i) => {
    const { a, m } = members[i]!;
    let t = teams.get(a.teamId);
    if (!t) teams.set(a.teamId, (t = { institutionId: a.institutionId, signed: 0, alreadyCovered: 0, enqueued: 0, noTip: 0, unsent: 0 }));
    t.signed += 1;
    totals.signed += 1;
    if (out.kind === 'covered') {
      t.alreadyCovered += 1;
      totals.alreadyCovered += 1;
    } else if (out.kind === 'no_tip') {
      t.noTip += 1;
      totals.noTip += 1;
    } else if (o.mode === 'audit') {
      t.unsent += 1;
    } else {
      t.enqueued += 1;
      totals.enqueued += 1;
      into.jobs.push({
        v: 1,
        jobId: `${o.runId}-${randomUUID()}`,
        runId: o.runId,
        quarter: o.quarter,
        regionId: a.regionId,
        institutionId: a.institutionId,
        teamId: a.teamId,
        shard: a.shard,
        agreementId: a.id,
        accountId: a.accountId,
        memberId: m.memberId,
        memberName: m.name,
        memberKey: m.idHash,
        tipId: out.choice.tipId,
        repeat: out.choice.repeat,
        plannedAt: o.now.toISOString(),
      });
    }
  });
  return into;
}

/** Enqueues jobs in SendMessageBatch calls of 10 (in parallel); leaves fewer than 10 behind unless `all`. */
export async function enqueueJobs(queue: PushQueue, jobs: PushJob[], all: boolean): Promise<void> {
  const sends: Promise<void>[] = [];
  while (jobs.length >= SQS_BATCH_SIZE || (all && jobs.length)) sends.push(queue.sendBatch(jobs.splice(0, SQS_BATCH_SIZE)));
  await Promise.all(sends);
}

async function planShard(o: PlanOptions & { runId: string; regionId: string; shard: number; tips: PlanningTip[] }): Promise<RunTotals> {
  const plan: AgreementsPlan = { totals: zero(), teams: new Map(), jobs: [] };
  let cursor: string | undefined;
  do {
    const page = await listActiveAgreementsPage({ regionId: o.regionId, shard: o.shard, cursor, limit: o.pageSize ?? 100 });
    cursor = page.cursor;
    await planAgreements(page.items, { quarter: o.quarter, today: o.today, now: o.now, runId: o.runId, tips: o.tips, mode: o.mode ?? 'plan' }, plan);
    await enqueueJobs(o.queue, plan.jobs, false);
  } while (cursor);
  await enqueueJobs(o.queue, plan.jobs, true);
  for (const [teamId, t] of plan.teams) {
    const { institutionId, ...counts } = t;
    await addRunStats({ regionId: o.regionId, quarter: o.quarter, shard: o.shard, teamId, institutionId }, o.runId, counts);
  }
  return plan.totals;
}
