/**
 * Scheduled planner (EventBridge, serverless.yml): at the start of each quarter and weekly after
 * that as a catch-up, plans the current Asia/Shanghai quarter for every region and enqueues
 * the send jobs to SQS (QUEUE_URL). An explicit `{ "quarter": "2026Q4" }` input plans that quarter.
 */
import { isQuarter, localDateOf, quarterOf, quarterRange } from '@jiayi/shared/domain/dates';
import { planQuarter } from '../push/planner';
import { SqsPushQueue } from '../push/queue';
import { settings } from '../lib/config';
import { log } from '../lib/log';

export async function handler(event: { quarter?: string; regions?: string[] } = {}) {
  const now = new Date();
  const today = localDateOf(now);
  const quarter = event.quarter && isQuarter(event.quarter) ? event.quarter : quarterOf(today);
  const { end } = quarterRange(quarter);
  const { queueUrl, planConcurrency } = settings();
  if (!queueUrl) throw new Error('QUEUE_URL is not set');
  const result = await planQuarter({
    quarter,
    today: today < end ? today : end,
    now,
    queue: new SqsPushQueue(queueUrl),
    ...(event.regions?.length ? { regions: event.regions } : {}),
    concurrency: planConcurrency,
  });
  log.info('push plan done', { runId: result.runId, quarter, totals: result.totals });
  return { runId: result.runId, quarter, totals: result.totals };
}
