/**
 * Local transaction layer: cost of a 2-action TransactWriteItems vs a plain PutItem through the
 * layer, and of a PutItem sent directly to dynalite (no layer). Loopback only, ~10 s in all.
 *
 *   npx tsx bench/tx-layer.bench.ts        (prints a table)
 *   run() from bench/run.ts                (returns the figures)
 *
 * Latency: one request at a time (p50/p99 over the phase). Throughput: 16 requests in flight.
 * Figures depend on the machine; they are for comparing the three paths with each other.
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startTxLayer } from '../infra/src/local/tx-layer';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LATENCY_MS = 900;
const THROUGHPUT_MS = 1300;
const WARMUP_MS = 200;
const CONCURRENCY = 16;

function docClient(endpoint: string): DynamoDBDocumentClient {
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
  });
  return DynamoDBDocumentClient.from(ddb);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

interface Figures {
  opsPerSec: number;
  p50: number;
  p99: number;
}

async function measure(op: () => Promise<unknown>): Promise<Figures> {
  // Warm-up: connections, JIT.
  for (let end = performance.now() + WARMUP_MS; performance.now() < end; ) await op();

  const latencies: number[] = [];
  for (let end = performance.now() + LATENCY_MS; performance.now() < end; ) {
    const t0 = performance.now();
    await op();
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);

  let done = 0;
  const start = performance.now();
  const stopAt = start + THROUGHPUT_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < stopAt) {
        await op();
        done += 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { opsPerSec: done / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function run(): Promise<Record<string, string | number>> {
  const layer = await startTxLayer({ ttlSweepIntervalMs: 0 });
  const viaLayer = docClient(layer.endpoint);
  const direct = docClient(layer.upstreamEndpoint);
  try {
    const table = `bench-${randomUUID()}`;
    await viaLayer.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    let n = 0;
    const put = (client: DynamoDBDocumentClient) => () =>
      client.send(new PutCommand({ TableName: table, Item: { pk: `item-${(n += 1)}`, payload: 'x'.repeat(200) } }));
    // A booking-shaped transaction: bump a counter (conditional) and insert one item.
    const tx = () =>
      viaLayer.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: { pk: `counter-${(n += 1) % 8}` },
                UpdateExpression: 'ADD places :one',
                ConditionExpression: 'attribute_not_exists(places) OR places < :cap',
                ExpressionAttributeValues: { ':one': 1, ':cap': 1_000_000_000 },
              },
            },
            {
              Put: {
                TableName: table,
                Item: { pk: `booking-${(n += 1)}`, payload: 'x'.repeat(200) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );

    const putDirect = await measure(put(direct));
    const putLayer = await measure(put(viaLayer));
    const txLayer = await measure(tx);

    return {
      'put.dynalite.ops_s': round(putDirect.opsPerSec, 0),
      'put.dynalite.p50_ms': round(putDirect.p50),
      'put.dynalite.p99_ms': round(putDirect.p99),
      'put.layer.ops_s': round(putLayer.opsPerSec, 0),
      'put.layer.p50_ms': round(putLayer.p50),
      'put.layer.p99_ms': round(putLayer.p99),
      'tx2.layer.ops_s': round(txLayer.opsPerSec, 0),
      'tx2.layer.p50_ms': round(txLayer.p50),
      'tx2.layer.p99_ms': round(txLayer.p99),
      'ratio.put_layer_vs_dynalite.p50': round(putLayer.p50 / putDirect.p50),
      'ratio.put_layer_vs_dynalite.ops': round(putLayer.opsPerSec / putDirect.opsPerSec),
      'ratio.tx2_vs_put_layer.p50': round(txLayer.p50 / putLayer.p50),
      'ratio.tx2_vs_put_layer.ops': round(txLayer.opsPerSec / putLayer.opsPerSec),
      concurrency: CONCURRENCY,
    };
  } finally {
    viaLayer.destroy();
    direct.destroy();
    await layer.close();
  }
}

function printTable(figures: Record<string, string | number>): void {
  const rows: [string, string, string, string][] = [['path', 'ops/s (16 in flight)', 'p50 ms (serial)', 'p99 ms (serial)']];
  for (const [label, prefix] of [
    ['PutItem direct to dynalite', 'put.dynalite'],
    ['PutItem through the layer', 'put.layer'],
    ['TransactWrite (2 actions) via layer', 'tx2.layer'],
  ] as const) {
    rows.push([label, String(figures[`${prefix}.ops_s`]), String(figures[`${prefix}.p50_ms`]), String(figures[`${prefix}.p99_ms`])]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  console.log('');
  for (const [k, v] of Object.entries(figures)) if (k.startsWith('ratio.')) console.log(`${k.padEnd(34)} ${v}`);
}

if (process.argv[1] !== undefined && /tx-layer\.bench\.ts$/.test(process.argv[1])) {
  run()
    .then(printTable)
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
