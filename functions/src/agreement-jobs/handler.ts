/**
 * Scheduled agreement jobs (serverless.yml schedules):
 *   expireUnpaid  rate(5 minutes): unpaid agreements whose hold ran out release their places
 *   daily         once a day: cycle ends — hand over to a confirmed renewal, auto-renew or fall
 *                 back to free basic service where the policy says so (renewalDecision), or expire
 */
import { expireUnpaidSweep, runDaily } from '../agreements/service';
import { log } from '../lib/log';
import { now } from '../lib/clock';

export async function expireUnpaid(): Promise<{ expired: number }> {
  const expired = await expireUnpaidSweep(now());
  log.info('unpaid expiry sweep', { expired });
  return { expired };
}

export async function daily(): Promise<Awaited<ReturnType<typeof runDaily>>> {
  const report = await runDaily(now());
  log.info('agreements daily job', { ...report });
  return report;
}
