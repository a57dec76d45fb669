/**
 * Child process of bench/push.bench.ts: an in-memory local store (dynalite + transaction layer)
 * with the table, in its own process so the benchmark's heap figures are the planner's alone.
 * Prints `ENDPOINT <url>` when ready; exits when stdin closes.
 */
import { startTxLayer } from '../infra/src/local/tx-layer';
import { ensureTable, localClient } from '../infra/src/local/tables';

async function main() {
  const layer = await startTxLayer({ ttlSweepIntervalMs: 0 });
  await ensureTable(localClient(layer.endpoint), process.argv[2] ?? 'jiayi-bench');
  process.stdout.write(`ENDPOINT ${layer.endpoint}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void layer.close().then(() => process.exit(0)));
}

void main();
