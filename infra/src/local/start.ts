/**
 * `npm start [-- options]`: the whole stack on one machine, no cloud account (stack.ts):
 * store, demo data, local SQS, HTTP API, the scheduled jobs and queue consumers of
 * serverless.yml, and the mini-program's H5 build.
 *
 *   --date 2027-03-15        run as if on that date (Asia/Shanghai; the time of day is kept,
 *                            the clock advances from there); or --date 2027-03-15T08:30
 *   --memory                 throwaway in-memory store (default: persisted in .data/dynalite)
 *   --no-web                 API only
 *   --no-schedules           no scheduled jobs (the queues still deliver)
 *   --verbose                serverless-offline's own output
 * Ports: API_PORT (3000), WEB_PORT (10086), STORE_PORT (random). Ctrl-C stops everything.
 */
import path from 'node:path';
import { localDateOf, localTimeOf } from '@jiayi/shared/domain/dates';
import { ROOT } from './offline';
import { parseStartDate } from './clock';
import { startLocalStack, LOCAL_TABLE, type LocalStack } from './stack';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

const stamp = (d: Date) => `${localDateOf(d)} ${localTimeOf(d)}`;

async function main() {
  const args = process.argv.slice(2);
  const flags = new Set(args);
  const dateArg = option(args, 'date');
  let start: Date | undefined;
  if (dateArg !== undefined) {
    const parsed = parseStartDate(dateArg);
    if ('error' in parsed) {
      console.error(parsed.error);
      process.exit(2);
    }
    start = parsed;
  }
  const memory = flags.has('--memory');
  const dataDir = path.join(ROOT, '.data', 'dynalite');

  let stack: LocalStack | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n正在停止… stopping all local services');
    await stack?.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    if (start) console.log(`[clock] local clock starts at ${stamp(start)} Asia/Shanghai and advances from there (handlers, jobs, queues, seeds)`);
    stack = await startLocalStack({
      apiPort: Number(process.env.API_PORT ?? 3000),
      webPort: Number(process.env.WEB_PORT ?? 10086),
      storePort: Number(process.env.STORE_PORT ?? 0),
      ...(memory ? {} : { dataDir }),
      web: !flags.has('--no-web'),
      schedules: !flags.has('--no-schedules'),
      ...(start && { start }),
      verbose: flags.has('--verbose'),
    });
    console.log(`[store] ${memory ? 'in memory' : `persisted in ${path.relative(ROOT, dataDir)}`} at ${stack.storeEndpoint}`);
    if (stack.seedSummary) console.log(`[seed] ${stack.seedSummary}`);
    console.log('\n家医 Jiayi local stack is ready:');
    console.log(`  HTTP API        ${stack.apiUrl}   (try ${stack.apiUrl}/health)`);
    if (stack.webUrl) console.log(`  Mini-program H5 ${stack.webUrl}/`);
    console.log(`  DynamoDB store  ${stack.storeEndpoint}   (table ${LOCAL_TABLE})`);
    console.log(`  SQS endpoint    ${stack.sqsEndpoint}   (${[...stack.sqs.queues.keys()].join(', ')})`);
    console.log(`  Stack time      ${stamp(stack.now())} Asia/Shanghai${stack.clock ? ' (local clock)' : ''}`);
    if (stack.scheduler) {
      console.log('  Schedules (serverless.yml, next run in stack time):');
      for (const s of stack.scheduler.describe()) console.log(`    ${s.functionKey.padEnd(24)} ${s.expression.padEnd(28)} ${s.next ? stamp(s.next) : '-'}`);
    }
    for (const line of stack.logins) console.log(`  ${line}`);
    console.log('Press Ctrl-C to stop.');
    stack.api.child.once('exit', (c) => {
      if (!stopping) {
        console.error(`[api] serverless-offline exited (${c}); stopping.`);
        void stop(1);
      }
    });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    await stop(1);
  }
}

void main();
