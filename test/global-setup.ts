/**
 * vitest global setup: the real local stack on random free ports — the store (dynalite + our
 * transaction layer, in memory) with the table from infra/dynamodb-table.yml, and the HTTP API
 * (serverless-offline running the same handlers and routes as serverless.yml). Tests reach them
 * through `inject('apiUrl')` / `inject('storeEndpoint')` (see test/stack.ts).
 */
import type { TestProject } from 'vitest/node';
import { startStore } from '../infra/src/local/store';
import { ensureTable, localClient } from '../infra/src/local/tables';
import { startApi, freePort } from '../infra/src/local/offline';

export const TEST_TABLE = 'jiayi-local';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    storeEndpoint: string;
    tableName: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const store = await startStore({ port: await freePort() });
  await ensureTable(localClient(store.endpoint), TEST_TABLE);
  const api = await startApi({ storeEndpoint: store.endpoint, tableName: TEST_TABLE, port: await freePort(), quiet: true }).catch(
    async (e: unknown) => {
      await store.close();
      throw e;
    },
  );
  project.provide('apiUrl', api.url);
  project.provide('storeEndpoint', store.endpoint);
  project.provide('tableName', TEST_TABLE);
  return async () => {
    await api.close();
    await store.close();
  };
}
