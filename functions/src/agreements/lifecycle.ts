/**
 * Flows that end an agreement (issue 5): early termination with its refund, and the daily job at
 * the end of a cycle — hand over to a confirmed renewal, auto-renew or fall back to free basic
 * service where the policy says so (renewalDecision), or expire and release the places. load →
 * decide (shared/src/domain/agreements/transitions.ts) → apply one plan → answer.
 */
import { randomUUID } from 'node:crypto';
import { addDays, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { policyFor, policyVersion, REGION_IDS, type TerminationReason } from '@jiayi/shared/domain/policy';
import { cycleEndAction, type CycleEndAction } from '@jiayi/shared/domain/agreements/lifecycle';
import { agreementNotFound } from '@jiayi/shared/domain/agreements/refusals';
import { nextCycleStart, planFreeSuccessor, renewalSelections, type Decided } from '@jiayi/shared/domain/agreements/signing';
import { planExpiry, planHandOver, planTermination, terminationPreview, type TerminationInput, type TerminationPreview } from '@jiayi/shared/domain/agreements/transitions';
import type { AgreementPlan } from '@jiayi/shared/domain/agreements/writes';
import { activeAgreementsEndingBy, ACTIVE_SHARDS, getAgreement, type Actor, type AgreementRecord } from '../db/agreements.repo';
import { applyAgreementPlan } from '../db/agreements.tx';
import { deliveredQuantities } from '../db/fulfilment.repo';
import { log } from '../lib/log';
import { expireUnpaidSweep } from './expiry';
import { loadHousehold } from './load';
import { sendRefund } from './payments';

const MAX_ROUNDS = 6;

// ---------------------------------------------------------------- termination

export async function refundPreview(a: AgreementRecord, reason: TerminationReason | undefined, today: LocalDate): Promise<TerminationPreview> {
  return terminationPreview(a, policyVersion(a.regionId, a.policyVersion), reason, await deliveredQuantities(a.id), today);
}

/** POST /agreements/{id}/terminate: places released and the refund recorded in one transaction, then the refund sent. */
export async function terminateAgreement(a0: AgreementRecord, input: TerminationInput, now: Date, by: Actor): Promise<AgreementRecord> {
  const today = localDateOf(now);
  let a = a0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const t = planTermination(a, policyVersion(a.regionId, a.policyVersion), input, await deliveredQuantities(a.id), today, now, by);
    const applied = await applyAgreementPlan(t.plan);
    if (applied.kind === 'committed') {
      log.info('agreement terminated', { agreementId: a.id, reason: input.reason, refundFen: t.refund?.record.amountFen ?? 0 });
      if (t.refund) await sendRefund(a.id, t.refund.record, t.refund.totalFen, now);
      return (await getAgreement(a.id)) ?? t.after;
    }
    if (applied.kind === 'refuse') throw applied.error;
    const fresh = await getAgreement(a.id);
    if (!fresh) throw agreementNotFound();
    a = fresh;
  }
  throw new Error('termination: still stale');
}

// ---------------------------------------------------------------- cycle end (daily job)

export interface DailyReport {
  handedOver: number;
  renewedFree: number;
  expired: number;
  unpaidExpired: number;
  failed: number;
}

type CycleEndOutcome = 'handedOver' | 'renewedFree' | 'expired';

/**
 * Daily: every active agreement whose cycle ended before `today` hands over to its confirmed
 * renewal, auto-renews / falls back to free basic service where the policy says so, or expires
 * and releases its places.
 */
export async function runDaily(now: Date): Promise<DailyReport> {
  const today = localDateOf(now);
  const report: DailyReport = { handedOver: 0, renewedFree: 0, expired: 0, unpaidExpired: await expireUnpaidSweep(now), failed: 0 };
  for (const regionId of REGION_IDS) {
    for (let shard = 0; shard < ACTIVE_SHARDS; shard++) {
      for await (const item of activeAgreementsEndingBy(regionId, shard, addDays(today, -1))) {
        try {
          const r = await endCycle(item.id, now);
          if (r) report[r]++;
        } catch (e) {
          report.failed++;
          log.error('cycle end failed', { agreementId: item.id, error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
  }
  return report;
}

/** One agreement at its cycle end; returns what happened (undefined: nothing to do). */
export async function endCycle(agreementId: string, now: Date): Promise<CycleEndOutcome | undefined> {
  const today = localDateOf(now);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const a = await getAgreement(agreementId);
    if (!a) return undefined;
    const next = a.nextAgreementId ? await getAgreement(a.nextAgreementId) : undefined;
    const action = cycleEndAction(a, next, policyVersion(a.regionId, a.policyVersion), today);
    if (action.kind === 'none') return undefined;
    const step = await cycleEndStep(a, next, action, today, now);
    const applied = await applyAgreementPlan(step.plan);
    if (applied.kind === 'committed') return step.outcome;
    if (applied.kind === 'refuse') throw applied.error;
  }
  throw new Error('cycle end: still stale');
}

async function cycleEndStep(a: AgreementRecord, next: AgreementRecord | undefined, action: CycleEndAction, today: LocalDate, now: Date): Promise<{ plan: AgreementPlan; outcome: CycleEndOutcome }> {
  if (action.kind === 'hand_over' && next) return { plan: planHandOver(a, next, now).plan, outcome: 'handedOver' };
  if (action.kind === 'renew_free') {
    const successor = await freeSuccessor(a, action.basicOnly, action.decision.reason, today, now);
    if (successor) return { plan: successor.plan, outcome: 'renewedFree' };
  }
  return { plan: planExpiry(a, action.kind === 'expire' && action.decision ? action.decision.reason : undefined, now).plan, outcome: 'expired' };
}

/** The free agreement for the next cycle, re-quoted from the members' current facts; undefined when they cannot have it (the agreement expires). */
async function freeSuccessor(a: AgreementRecord, basicOnly: boolean, reason: string, today: LocalDate, now: Date): Promise<Decided | undefined> {
  try {
    const policy = policyFor(a.regionId, nextCycleStart(a));
    const household = await loadHousehold(a.accountId, renewalSelections(a, policy, basicOnly, 'free'));
    return planFreeSuccessor({ current: a, policy, household, origin: basicOnly ? 'fall_back' : 'auto_renewal', reason, today, now, id: randomUUID() });
  } catch (e) {
    log.warn('free renewal not possible, agreement expires', { agreementId: a.id, error: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}
