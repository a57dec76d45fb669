/**
 * `npm start`: the whole stack on one machine, no cloud account.
 *   1. the local DynamoDB store (dynalite + transaction layer), persisted under .data/
 *      (`--memory` for a throwaway run), with the table from infra/dynamodb-table.yml;
 *   2. demo data from the policy documents (idempotent);
 *   3. the HTTP API (serverless-offline) pointed at the store via AWS_ENDPOINT_URL_DYNAMODB;
 *   4. the mini-program's H5 build on loopback, forwarding /api to the API.
 * Ports: API_PORT (3000), WEB_PORT (10086), STORE_PORT (random). Ctrl-C stops everything.
 */
import path from 'node:path';
import { startStore, type RunningStore } from './store';
import { ensureTable, localClient } from './tables';
import { startApi, freePort, ROOT, type RunningApi } from './offline';
import { startWebServer, type WebServer } from './web-server';
import { buildH5IfStale, H5_DIR } from './h5-build';
import { seedDemo } from '../seed/demo';

export const LOCAL_TABLE = 'jiayi-local';

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const args = new Set(process.argv.slice(2));
  const memory = args.has('--memory');
  const apiPort = Number(process.env.API_PORT ?? 3000);
  const webPort = Number(process.env.WEB_PORT ?? 10086);
  const storePort = Number(process.env.STORE_PORT ?? 0);
  const dataDir = path.join(ROOT, '.data', 'dynalite');

  let store: RunningStore | undefined;
  let api: RunningApi | undefined;
  let web: WebServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n正在停止… stopping all local services');
    await web?.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    store = await startStore({ path: memory ? undefined : dataDir, port: storePort || (await freePort()) });
    const client = localClient(store.endpoint);
    const created = await ensureTable(client, LOCAL_TABLE);
    console.log(`[store] ${memory ? 'in memory' : `persisted in ${path.relative(ROOT, dataDir)}`} at ${store.endpoint}${created ? ' (table created)' : ''}`);
    const seeded = await seedDemo({ endpoint: store.endpoint, tableName: LOCAL_TABLE, now: new Date() });
    console.log(`[seed] ${seeded.summary}`);

    const h5 = args.has('--no-web') ? undefined : buildH5IfStale();
    api = await startApi({ storeEndpoint: store.endpoint, tableName: LOCAL_TABLE, port: apiPort, quiet: !args.has('--verbose') });
    if (h5) {
      await h5;
      web = await startWebServer({ root: H5_DIR, apiUrl: api.url, port: webPort });
    }
    console.log('\n家医 Jiayi local stack is ready:');
    console.log(`  HTTP API        ${api.url}   (try ${api.url}/health)`);
    if (web) console.log(`  Mini-program H5 ${web.url}/`);
    console.log(`  DynamoDB store  ${store.endpoint}   (table ${LOCAL_TABLE})`);
    for (const line of seeded.logins) console.log(`  ${line}`);
    console.log('Press Ctrl-C to stop.');
    api.child.once('exit', (c) => {
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
