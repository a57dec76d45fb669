/**
 * `npm run push:plan -- --quarter 2026Q4 [--region liyang-2019]`: the quarterly planner by hand,
 * for a quarter the running stack's schedules would not reach (`npm start` runs the planner and
 * the catch-up on their schedules through the local SQS by itself). Here the planner fills an
 * in-memory queue and the same `processJobs` the push-sender Lambda runs drains it with the
 * recording WeChat/SMS senders, then the compliance figures are printed.
 *
 * Store: STORE_ENDPOINT (e.g. `npm start` with STORE_PORT=8000 → STORE_ENDPOINT=http://127.0.0.1:8000),
 * otherwise a store started here on .data/dynalite (only while `npm start` is not running).
 */
import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isQuarter, localDateOf, quarterOf, quarterRange } from '@jiayi/shared/domain/dates';
import { REGION_IDS } from '@jiayi/shared/domain/policy';
import { setDb } from '../../../functions/src/db/client';
import { notifySendersFromConfig } from '../../../functions/src/adapters/notify';
import { planQuarter } from '../../../functions/src/push/planner';
import { processJobs } from '../../../functions/src/push/sender';
import { InMemoryPushQueue } from '../../../functions/src/push/queue';
import { loadQuarterStats } from '../../../functions/src/db/push.repo';
import { startStore, type RunningStore } from './store';
import { ensureTable, localClient } from './tables';
import { ROOT } from './offline';
/** The table `npm start` uses (infra/src/local/start.ts; not imported: importing it starts the stack). */
const LOCAL_TABLE = 'jiayi-local';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.TABLE_NAME ??= LOCAL_TABLE;
  process.env.LOG_LEVEL ??= 'warn';
  const now = new Date();
  const quarter = arg('quarter') ?? quarterOf(localDateOf(now));
  if (!isQuarter(quarter)) throw new Error(`--quarter must look like 2026Q4 (got "${quarter}")`);
  const regions = arg('region') ? [arg('region')!] : [...REGION_IDS];
  const { end } = quarterRange(quarter);
  const today = localDateOf(now) < end ? localDateOf(now) : end;

  let store: RunningStore | undefined;
  let endpoint = process.env.STORE_ENDPOINT;
  if (!endpoint) {
    try {
      store = await startStore({ path: path.join(ROOT, '.data', 'dynalite') });
      endpoint = store.endpoint;
    } catch (e) {
      throw new Error(
        `could not open .data/dynalite (${e instanceof Error ? e.message : e}). If \`npm start\` is running, start it with STORE_PORT=8000 and run STORE_ENDPOINT=http://127.0.0.1:8000 npm run push:plan`,
      );
    }
  }
  try {
    await ensureTable(localClient(endpoint), process.env.TABLE_NAME);
    setDb(DynamoDBDocumentClient.from(localClient(endpoint), { marshallOptions: { removeUndefinedValues: true } }));
    const queue = new InMemoryPushQueue();
    const plan = await planQuarter({ quarter, today, now, queue, regions });
    console.log(`[plan] run ${plan.runId} for ${quarter} (as of ${today}): ${JSON.stringify(plan.totals)}`);
    const senders = notifySendersFromConfig({ STAGE: 'local' });
    const env = { ...process.env, PUSH_TIP_TEMPLATE_ID: process.env.PUSH_TIP_TEMPLATE_ID ?? 'local-health-tip' };
    const drained = await queue.drain(async (batch) => processJobs(batch, { senders, now: () => new Date(), env }));
    console.log(`[send] ${drained.processed} job deliveries processed, ${drained.deadLetters.length} dead-lettered`);
    for (const regionId of regions) {
      const s = await loadQuarterStats(regionId, quarter);
      const signed = s.run.reduce((n, r) => n + (r.counts.signed ?? 0), 0);
      if (!signed) continue;
      const withTip = s.run.reduce((n, r) => n + Math.min(r.counts.signed ?? 0, (r.counts.alreadyCovered ?? 0) + (r.counts.delivered ?? 0)), 0);
      console.log(`[report] ${regionId} ${quarter}: signed ${signed}, with a tip ${withTip}, without ${signed - withTip}`);
    }
  } finally {
    await store?.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
