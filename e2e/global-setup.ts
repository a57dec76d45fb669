/**
 * Browser-test setup: the local stack (store, seeded demo data, API) plus the H5 build served
 * on loopback with /api forwarded — what `npm start` runs, on random free ports.
 */
import type { TestProject } from 'vitest/node';
import { startStore } from '../infra/src/local/store';
import { ensureTable, localClient } from '../infra/src/local/tables';
import { startApi, freePort } from '../infra/src/local/offline';
import { startWebServer } from '../infra/src/local/web-server';
import { buildH5IfStale, H5_DIR } from '../infra/src/local/h5-build';
import { seedDemo } from '../infra/src/seed/demo';

const TABLE = 'jiayi-local';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    apiUrl: string;
    storeEndpoint: string;
    tableName: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const build = buildH5IfStale(() => undefined);
  const store = await startStore({ port: await freePort() });
  await ensureTable(localClient(store.endpoint), TABLE);
  await seedDemo({ endpoint: store.endpoint, tableName: TABLE, now: new Date() });
  const api = await startApi({ storeEndpoint: store.endpoint, tableName: TABLE, port: await freePort(), quiet: true }).catch(
    async (e: unknown) => {
      await store.close();
      throw e;
    },
  );
  await build.catch(async (e: unknown) => {
    await api.close();
    await store.close();
    throw e;
  });
  const web = await startWebServer({ root: H5_DIR, apiUrl: api.url, port: await freePort() });
  project.provide('webUrl', web.url);
  project.provide('apiUrl', api.url);
  project.provide('storeEndpoint', store.endpoint);
  project.provide('tableName', TABLE);
  return async () => {
    await web.close();
    await api.close();
    await store.close();
  };
}
