/**
 * Quarterly push planning at scale (issue 7): agreements seeded directly (BatchWriteItem, the
 * agreement item shape of agreements.tx.ts, 2 members each) into an in-memory local store run in
 * a child process; then, per size (10k and 100k residents by default):
 *   - raw read: the same paginated stream of active agreements (16 shards, 8 in parallel) with
 *     nothing else — the baseline;
 *   - plan: planQuarter (page → history BatchGet → pure decision → SQS-shaped batches of 10 into a
 *     counting queue) — residents per second and the ratio to the raw read;
 *   - heap high-water mark of this process during the plan, above the heap before it (sampled
 *     every 10 ms): it must stay flat as residents grow (pages stream, nothing accumulates).
 *
 *   npx tsx bench/push.bench.ts          (prints a table)     BENCH_PUSH_SIZES=10000,50000 to change
 * Loopback only; figures depend on the machine (the store itself is the bottleneck here).
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startChildStore } from './child-store';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';
const TABLE = 'jiayi-bench';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
process.env.TABLE_NAME = TABLE;


function docClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

const AGE = ['adult_18_64', 'elderly_65', 'child_0_6', 'minor_7_17'] as const;

async function seed(doc: DynamoDBDocumentClient, regionId: string, residents: number): Promise<number> {
  const { agreementItem } = await import('../functions/src/db/agreements.tx');
  const agreements = Math.ceil(residents / 2);
  const at = '2026-01-01T00:00:00.000Z';
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < agreements) {
      const from = next;
      next += 25;
      const items = [];
      for (let i = from; i < Math.min(from + 25, agreements); i++) {
        const id = `${regionId}-${i}-${randomBytes(4).toString('hex')}`;
        const member = (n: number) => ({
          memberId: `m${n}-${id}`,
          name: n === 0 ? '张三' : '李四',
          relation: n === 0 ? '本人' : '配偶',
          idNumberMasked: '320481********123X',
          idHash: randomBytes(16).toString('hex'),
          sex: n === 0 ? 'M' : 'F',
          ageGroup: AGE[(i + n) % AGE.length],
          signingKind: 'free',
          packages: [{ code: 'LY-BASIC', name: '基本服务包', category: 'basic', priceFen: 800, items: [] }, ...(i % 5 === 0 ? [{ code: '160000002-d', name: '高血压', category: 'personalized', priceFen: 15000, items: [] }] : [])],
          byPayer: {},
          totalFen: 800,
        });
        items.push(
          agreementItem({
            id, accountId: `acct-${id}`, representativeName: '张三', teamId: `team-${i % 50}`, teamName: '团队', institutionId: `inst-${i % 5}`, institutionName: '卫生院',
            regionId, policyVersion: '2019', signingKind: 'free', status: 'active', cycleStart: '2026-01-01', cycleEnd: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`,
            members: [member(0), member(1)], totalFen: 1600, byPayer: {}, byPayerGroup: {}, residentDueFen: 0, consent: { agreementTextVersion: 'v', at },
            idempotencyKey: id, createdAt: at, updatedAt: at, paidFen: 0, refundedFen: 0, payments: [], history: [], origin: 'signed', shard: i % 16, version: 1,
          } as never),
        );
      }
      let request: Record<string, unknown[]> | undefined = { [TABLE]: items.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) {
        const r = await doc.send(new BatchWriteCommand({ RequestItems: request as never }));
        request = r.UnprocessedItems as never;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return performance.now() - started;
}

async function rawRead(regionId: string): Promise<{ ms: number; residents: number }> {
  const { listActiveAgreementsPage, ACTIVE_SHARDS } = await import('../functions/src/db/agreements.repo');
  const started = performance.now();
  let residents = 0;
  let shard = 0;
  const worker = async () => {
    while (shard < ACTIVE_SHARDS) {
      const s = shard++;
      let cursor: string | undefined;
      do {
        const page = await listActiveAgreementsPage({ regionId, shard: s, cursor, limit: 100 });
        for (const a of page.items) residents += a.members.length;
        cursor = page.cursor;
      } while (cursor);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { ms: performance.now() - started, residents };
}

async function plan(regionId: string): Promise<{ ms: number; residents: number; enqueued: number; batches: number; peakHeapMb: number; liveHeapMb: number }> {
  const { planQuarter } = await import('../functions/src/push/planner');
  const { CountingPushQueue } = await import('../functions/src/push/queue');
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let live = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  // Live heap: a full GC every 250 ms, then the heap in use — what the planner actually holds.
  const liveTimer = setInterval(() => {
    gc();
    live = Math.max(live, process.memoryUsage().heapUsed);
  }, 250);
  const queue = new CountingPushQueue();
  const started = performance.now();
  const r = await planQuarter({ quarter: '2026Q4', today: '2026-11-25', now: new Date('2026-11-25T02:00:00Z'), queue, regions: [regionId], concurrency: 8 });
  const ms = performance.now() - started;
  clearInterval(timer);
  clearInterval(liveTimer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, residents: r.totals.signed, enqueued: queue.count, batches: queue.batches, peakHeapMb: (peak - base) / 2 ** 20, liveHeapMb: (live - base) / 2 ** 20 };
}

export async function run(): Promise<Record<string, string | number>> {
  const sizes = (process.env.BENCH_PUSH_SIZES ?? '10000,100000').split(',').map(Number);
  const store = await startChildStore(TABLE);
  const out: Record<string, string | number> = {};
  try {
    const doc = docClient(store.endpoint);
    const { setDb } = await import('../functions/src/db/client');
    setDb(doc);
    const { putTip } = await import('../functions/src/db/tips.repo');
    for (const [i, t] of [{ id: 'b-general' }, { id: 'b-elderly', ageGroups: ['elderly_65'] }, { id: 'b-child', ageGroups: ['child_0_6'] }, { id: 'b-bp', packageCodes: ['160000002-d'] }].entries()) {
      await putTip({
        regionId: 'all', institutionId: null, title: `知识${i}`, bodyHtml: '<p>x</p>', category: 'daily', ageGroups: [], conditions: [], packageCodes: [], publishFrom: '2026-01-01', publishTo: null,
        status: 'approved', createdBy: 'b', createdAt: at0, updatedAt: at0, approvedBy: 'b', approvedAt: at0, retiredBy: null, retiredAt: null, retireReason: null, ...(t as object), id: t.id,
      } as never, { overwrite: true });
    }
    for (const n of sizes) {
      const region = `bench-${n}`;
      const seedMs = await seed(doc, region, n);
      const raw = await rawRead(region);
      const p = await plan(region);
      const label = n >= 1000 ? `${n / 1000}k` : String(n);
      out[`${label}: seed (BatchWrite) s`] = +(seedMs / 1000).toFixed(1);
      out[`${label}: raw read residents/s`] = Math.round(raw.residents / (raw.ms / 1000));
      out[`${label}: plan residents/s`] = Math.round(p.residents / (p.ms / 1000));
      out[`${label}: plan / raw read`] = +((p.residents / p.ms) / (raw.residents / raw.ms)).toFixed(2);
      out[`${label}: plan s`] = +(p.ms / 1000).toFixed(1);
      out[`${label}: jobs enqueued (batches of 10)`] = `${p.enqueued} (${p.batches})`;
      out[`${label}: heap high-water above start MB (incl. garbage)`] = +p.peakHeapMb.toFixed(1);
      out[`${label}: live heap high-water above start MB (GC every 250 ms)`] = +p.liveHeapMb.toFixed(1);
    }
  } finally {
    store.close();
  }
  return out;
}

const at0 = '2026-01-01T00:00:00.000Z';

if (require.main === module) {
  const started = Date.now();
  run()
    .then((r) => {
      console.table(r);
      console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
