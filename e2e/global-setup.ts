/**
 * Browser-test setup: the whole local stack as `npm start` runs it (stack.ts) — store, seeded
 * demo data, local SQS, API, the scheduled jobs and queue consumers, and the H5 build served on
 * loopback with /api forwarded — on random free ports, on a local clock that starts now, so a
 * test can move time forward (`e2e/clock.ts`) instead of waiting for a schedule.
 */
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../infra/src/local/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    apiUrl: string;
    storeEndpoint: string;
    tableName: string;
    clockFile: string;
  }
}

export default async function setup(project: TestProject) {
  const lines: string[] = [];
  const stack = await startLocalStack({ web: true, clock: true, log: (l) => lines.push(l) });
  project.provide('webUrl', stack.webUrl!);
  project.provide('apiUrl', stack.apiUrl);
  project.provide('storeEndpoint', stack.storeEndpoint);
  project.provide('tableName', stack.tableName);
  project.provide('clockFile', stack.clock!.file);
  return async () => {
    await stack.close();
  };
}
