/**
 * `npm run package`: `osls package` offline. No AWS account is needed to build the template;
 * fake credentials keep the framework from looking for real ones.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [path.join(root, 'node_modules/osls/bin/serverless.js'), 'package', ...args], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'AKIAFAKEPACKAGEONLY',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'fake-secret-for-offline-packaging',
    JIAYI_ESBUILD_DIR: process.env.JIAYI_ESBUILD_DIR ?? `.esbuild/package-${process.pid}`,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  },
});
process.exit(r.status ?? 1);
