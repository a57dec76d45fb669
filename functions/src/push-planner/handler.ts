/**
 * Scheduled health-push functions (EventBridge, serverless.yml), both enqueueing send jobs to
 * SQS (QUEUE_URL):
 *
 *   handler  (pushPlanner) at the start of each quarter and weekly after that: plans the current
 *            Asia/Shanghai quarter for every region. On a quarter's first day, when the schedule
 *            says `closePrevious`, it first closes the quarter that has just ended: an audit run
 *            that counts who got a tip and who did not, sending nothing (the report's final
 *            figures). An explicit `{ "quarter": "2026Q4" }` input plans that quarter.
 *   catchUp  (pushCatchUp) every two minutes: the quarter's tip for residents who became active
 *            since (push/catch-up.ts).
 */
import { addDays, isQuarter, localDateOf, quarterOf, quarterRange } from '@jiayi/shared/domain/dates';
import { planQuarter } from '../push/planner';
import { catchUp as sweep } from '../push/catch-up';
import { SqsPushQueue } from '../push/queue';
import { settings } from '../lib/config';
import { log } from '../lib/log';
import { now as clockNow } from '../lib/clock';

function queue(): SqsPushQueue {
  const { queueUrl } = settings();
  if (!queueUrl || !/^https?:\/\//.test(queueUrl)) throw new Error('QUEUE_URL is not set');
  return new SqsPushQueue(queueUrl);
}

export async function handler(event: { quarter?: string; regions?: string[]; closePrevious?: boolean } = {}) {
  const now = clockNow();
  const today = localDateOf(now);
  const quarter = event.quarter && isQuarter(event.quarter) ? event.quarter : quarterOf(today);
  const { start, end } = quarterRange(quarter);
  const regions = event.regions?.length ? { regions: event.regions } : {};
  const concurrency = settings().planConcurrency;
  let closed: { quarter: string; runId: string; totals: unknown } | undefined;
  if (event.closePrevious && !event.quarter && today === start) {
    // Before the daily cycle job (00:30) ends the cycles of the day before: every agreement of the
    // closing quarter is still in the active index.
    const previous = quarterOf(addDays(start, -1));
    const audit = await planQuarter({ quarter: previous, today: addDays(start, -1), now, queue: queue(), mode: 'audit', concurrency, ...regions });
    closed = { quarter: previous, runId: audit.runId, totals: audit.totals };
    log.info('push quarter closed', closed);
  }
  const result = await planQuarter({ quarter, today: today < end ? today : end, now, queue: queue(), concurrency, ...regions });
  log.info('push plan done', { runId: result.runId, quarter, totals: result.totals });
  return { runId: result.runId, quarter, totals: result.totals, ...(closed && { closed }) };
}

export async function catchUp() {
  const result = await sweep({ now: clockNow(), queue: queue() });
  log.info('push catch-up done', { ...result });
  return result;
}
