/**
 * The whole local stack on one machine, as `npm start` runs it and as tests start it (at another
 * date if they like):
 *   1. the local clock (only with `start`/`clock`: the system clock otherwise);
 *   2. the store (dynalite + transaction layer; its TTL sweeper on the same clock);
 *   3. demo data from the policy documents, seeded as of the stack's "now";
 *   4. the local SQS endpoint with the queues of serverless.yml;
 *   5. the HTTP API (serverless-offline), pointed at the store, the clock file and the queues;
 *   6. the SQS event sources of serverless.yml's `sqs` events, and the scheduler of its
 *      `schedule` events — first a start-up catch-up of every job, then on schedule;
 *   7. the mini-program's H5 build, forwarding /api to the API.
 * Nothing is duplicated from serverless.yml: schedules, queues and batch settings are read from it.
 */
import path from 'node:path';
import { startStore, type RunningStore } from './store';
import { ensureTable, localClient } from './tables';
import { startApi, freePort, ROOT, type RunningApi } from './offline';
import { startWebServer, type WebServer } from './web-server';
import { buildH5IfStale, H5_DIR } from './h5-build';
import { LocalClock } from './clock';
import { loadServerlessConfig } from './serverless-config';
import { startLocalSqs, type LocalSqs } from './sqs-server';
import { SqsEventSource } from './sqs-event-source';
import { LocalScheduler } from './scheduler';
import { lambdaInvoker, type InvokeResult } from './lambda-invoke';
import { seedDemo } from '../seed/demo';

export const LOCAL_TABLE = 'jiayi-local';

export interface LocalStackOptions {
  apiPort?: number;
  webPort?: number;
  storePort?: number;
  /** LevelDB directory; omitted = in memory. */
  dataDir?: string;
  /** Serve the H5 build (default false). */
  web?: boolean;
  /** Seed the demo data (default true). */
  seed?: boolean;
  /** Run the scheduler (start-up catch-up, then on schedule; default true). */
  schedules?: boolean;
  /** The stack's clock starts at this instant (`npm start -- --date`) and advances from it. */
  start?: Date;
  /** A local clock even without `start` (starting now), so tests can move time. */
  clock?: boolean;
  /** Parallel batches per SQS consumer (default JIAYI_LOCAL_SQS_CONCURRENCY or 2). */
  sqsConcurrency?: number;
  /** serverless-offline's output (default: quiet). */
  verbose?: boolean;
  /** Where log lines go (default: console.log). */
  log?: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  webUrl?: string;
  storeEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  clock?: LocalClock;
  sqs: LocalSqs;
  scheduler?: LocalScheduler;
  sources: SqsEventSource[];
  api: RunningApi;
  /** Runs a function of serverless.yml by key, as its schedule or queue would (e.g. 'pushPlanner'). */
  invoke(functionKey: string, event?: unknown): Promise<InvokeResult>;
  seedSummary?: string;
  logins: string[];
  /** The stack's time. */
  now(): Date;
  /** Runs what the scheduler has due now and waits until every queue consumer is idle. */
  settle(): Promise<void>;
  /** Moves the local clock forward by `ms`, then `settle()`s. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalStack(o: LocalStackOptions = {}): Promise<LocalStack> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const log = o.log ?? ((l: string) => console.log(l));
  const apiPort = o.apiPort || (await freePort());
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    let clock: LocalClock | undefined;
    if (o.start || o.clock) {
      clock = LocalClock.create(path.join(ROOT, '.data', 'clock', `stack-${apiPort}-${process.pid}.json`), o.start ?? new Date());
      const c = clock;
      closers.push(() => c.remove());
    }
    const now = () => (clock ? clock.now() : new Date());
    const nowMs = () => now().getTime();

    const store: RunningStore = await startStore({ ...(o.dataDir && { path: o.dataDir }), port: o.storePort || (await freePort()), now: nowMs });
    closers.push(() => store.close());
    await ensureTable(localClient(store.endpoint), LOCAL_TABLE);
    const seeded = o.seed === false ? undefined : await seedDemo({ endpoint: store.endpoint, tableName: LOCAL_TABLE, now: now() });

    const sls = loadServerlessConfig();
    const sqs = await startLocalSqs({
      queues: sls.queues,
      now: nowMs,
      onRedrive: (m, from, to) => log(`[sqs] message ${m.messageId} moved from ${from.settings.name} to ${to.settings.name} after ${m.receiveCount} receives`),
    });
    closers.push(() => sqs.close());

    const h5 = o.web ? buildH5IfStale() : undefined;
    const api = await startApi({
      storeEndpoint: store.endpoint,
      tableName: LOCAL_TABLE,
      port: apiPort,
      quiet: !o.verbose,
      extraEnv: {
        JIAYI_LOCAL_SQS_URL: sqs.endpoint,
        // Read by @aws-sdk/client-sqs by itself (and passed to handlers: an AWS_* variable).
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
        ...(clock && { JIAYI_LOCAL_CLOCK_FILE: clock.file }),
      },
    });
    closers.push(() => api.close());

    const invoke = lambdaInvoker(api.lambdaUrl);
    const sources = sls.consumers.map(
      (consumer) =>
        new SqsEventSource({
          consumer,
          queue: sqs.byLogicalId(consumer.queueLogicalId),
          invoke,
          now: nowMs,
          concurrency: o.sqsConcurrency ?? Number(process.env.JIAYI_LOCAL_SQS_CONCURRENCY ?? 2),
          onBatch: (r) =>
            log(
              `[sqs] ${r.functionKey} ← ${r.size} message${r.size === 1 ? '' : 's'} from ${r.queue}: ${r.size - r.failed} done` +
                (r.failed ? `, ${r.failed} back on the queue after its visibility timeout` : '') +
                (r.error ? ` (${r.error})` : ''),
            ),
        }),
    );
    for (const s of sources) {
      s.start();
      closers.push(() => s.stop());
    }
    const idle = () => Promise.all(sources.map((s) => s.idle())).then(() => undefined);

    let scheduler: LocalScheduler | undefined;
    if (o.schedules !== false) {
      const sch = new LocalScheduler({ schedules: sls.schedules, invoke, now, log, settle: idle });
      scheduler = sch;
      await sch.catchUp();
      await idle();
      sch.start();
      closers.push(() => sch.stop());
    }

    let web: WebServer | undefined;
    if (h5) {
      await h5;
      web = await startWebServer({ root: H5_DIR, apiUrl: api.url, port: o.webPort || (await freePort()) });
      const w = web;
      closers.push(() => w.close());
    }

    const settle = async () => {
      await scheduler?.tick();
      await idle();
    };
    return {
      apiUrl: api.url,
      ...(web && { webUrl: web.url }),
      storeEndpoint: store.endpoint,
      sqsEndpoint: sqs.endpoint,
      tableName: LOCAL_TABLE,
      ...(clock && { clock }),
      sqs,
      ...(scheduler && { scheduler }),
      sources,
      api,
      invoke: (functionKey, event = {}) => invoke(`${sls.service}-${sls.stage}-${functionKey}`, event),
      ...(seeded && { seedSummary: seeded.summary }),
      logins: seeded?.logins ?? [],
      now,
      settle,
      advance: async (ms) => {
        if (!clock) throw new Error('this stack runs on the system clock (start it with `start` or `clock: true`)');
        clock.advance(ms);
        await settle();
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
