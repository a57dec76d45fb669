/**
 * (b) Per-function bundle size and module init time.
 * Each function in serverless.yml is bundled with the same esbuild settings as deployment
 * (minified, tree-shaken, AWS SDK external as on the Lambda runtime), then required in a fresh
 * Node process; init time is compared with an empty handler's. Goals: every bundle < 300 KB,
 * init < 2x the empty handler's.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';

const ROOT = path.resolve(__dirname, '..');

function functionsFromServerlessYml(): { name: string; entry: string }[] {
  const text = fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8').replace(/\$\{[^}]*\}/g, 'x');
  const sls = yaml.load(text) as { functions: Record<string, { handler: string }> };
  return Object.entries(sls.functions).map(([name, fn]) => {
    const file = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
    return { name, entry: path.join(ROOT, `${file}.ts`) };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time (ms) to require `file` in a fresh Node process, measured inside that process. */
function initMs(file: string, runs = 7): number {
  const code = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', code], {
      cwd: ROOT,
      encoding: 'utf8',
      // The local stage's configuration, as serverless-offline gives it to the handlers.
      env: { ...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', STAGE: 'local', AUTH_DEV_LOGIN: 'true', LOG_LEVEL: 'silent' },
    });
    if (r.status !== 0) throw new Error(r.stderr.split('\n').filter((l) => /Error/.test(l)).slice(0, 2).join(' ').slice(0, 300));
    xs.push(Number(r.stdout));
  }
  return median(xs);
}

export async function run(): Promise<Record<string, string | number>> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jiayi-bundles-'));
  // Bundles live under the repo so `require('@aws-sdk/...')` resolves as on Lambda's runtime.
  const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.jiayi-bench-'));
  const empty = path.join(dir, 'empty.js');
  fs.writeFileSync(empty, 'exports.handler=async()=>({statusCode:200,body:""});');
  const emptyMs = initMs(empty);
  // Every handler talks to DynamoDB, and loading the SDK dominates a cold start; the second
  // baseline is an empty handler that only loads the SDK clients we use.
  const emptySdk = path.join(dir, 'empty-sdk.js');
  fs.writeFileSync(emptySdk, 'require("@aws-sdk/client-dynamodb");require("@aws-sdk/lib-dynamodb");exports.handler=async()=>({statusCode:200,body:""});');
  const emptySdkMs = initMs(emptySdk);
  const figures: Record<string, string | number> = {
    'empty handler init (ms)': emptyMs.toFixed(2),
    'empty handler + DynamoDB SDK init (ms)': emptySdkMs.toFixed(2),
  };
  let largest = 0;
  let worstRatio = 0;
  let worstSdkRatio = 0;
  for (const fn of functionsFromServerlessYml()) {
    const outfile = path.join(dir, `${fn.name}.js`);
    await build({
      entryPoints: [fn.entry],
      outfile,
      bundle: true,
      minify: true,
      treeShaking: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    const kb = fs.statSync(outfile).size / 1024;
    let ms: number;
    try {
      ms = initMs(outfile);
    } catch (e) {
      figures[`${fn.name}: KB / init`] = `${kb.toFixed(1)} / failed: ${e instanceof Error ? e.message : String(e)}`;
      largest = Math.max(largest, kb);
      continue;
    }
    largest = Math.max(largest, kb);
    worstRatio = Math.max(worstRatio, ms / emptyMs);
    worstSdkRatio = Math.max(worstSdkRatio, ms / emptySdkMs);
    figures[`${fn.name}: KB / init ms / vs empty / vs empty+SDK`] = `${kb.toFixed(1)} / ${ms.toFixed(2)} / ${(ms / emptyMs).toFixed(2)}x / ${(ms / emptySdkMs).toFixed(2)}x`;
  }
  figures['largest bundle (KB, goal < 300)'] = largest.toFixed(1);
  figures['worst init ratio vs empty handler (goal < 2x)'] = `${worstRatio.toFixed(2)}x`;
  figures['worst init ratio vs empty handler + SDK (goal < 2x)'] = `${worstSdkRatio.toFixed(2)}x`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  return figures;
}

if (require.main === module) {
  void run().then((f) => console.table(f));
}
