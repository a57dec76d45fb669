/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints
 * their figures. Benchmarks report; they never fail the build.
 */
import fs from 'node:fs';
import path from 'node:path';

async function main() {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.LOG_LEVEL = 'silent';
  for (const f of files) {
    const mod = (await import(path.join(__dirname, f))) as { run?: () => Promise<Record<string, string | number>> };
    if (!mod.run) continue;
    console.log(`\n== ${f}`);
    const started = Date.now();
    try {
      console.table(await mod.run());
    } catch (e) {
      console.log(`  (failed: ${e instanceof Error ? e.message : String(e)})`);
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

void main();
