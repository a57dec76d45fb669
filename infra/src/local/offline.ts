/**
 * Runs the HTTP API with serverless-offline (through osls) as a child process, pointed at the
 * local store via AWS_ENDPOINT_URL_DYNAMODB, and waits until GET /health answers 200. Its
 * Lambda Invoke API (`lambdaUrl`) is how the local scheduler and SQS event source run the
 * scheduled and queue-consuming functions; serverless-offline's own scheduler is switched off
 * (JIAYI_OFFLINE_SCHEDULES, infra/serverless/offline-schedules-off.cjs) so no job runs twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import net from 'node:net';

export const ROOT = path.resolve(__dirname, '../../..');

export interface RunningApi {
  url: string;
  port: number;
  /** serverless-offline's Lambda Invoke API (http://127.0.0.1:<lambdaPort>). */
  lambdaUrl: string;
  child: ChildProcess;
  close(): Promise<void>;
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startApi(opts: {
  storeEndpoint: string;
  tableName: string;
  port: number;
  lambdaPort?: number;
  extraEnv?: Record<string, string>;
  quiet?: boolean;
  timeoutMs?: number;
}): Promise<RunningApi> {
  const lambdaPort = opts.lambdaPort ?? (await freePort());
  const { NODE_OPTIONS: _inheritedNodeOptions, ...parentEnv } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...parentEnv,
    // serverless-offline hands only AWS_* variables (and serverless.yml's environment) to handlers.
    AWS_ENDPOINT_URL_DYNAMODB: opts.storeEndpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'cn-northwest-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    JIAYI_ESBUILD_DIR: `.esbuild/offline-${opts.port}`,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    JIAYI_OFFLINE_SCHEDULES: 'off',
    ...opts.extraEnv,
  };
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/osls/bin/serverless.js'),
      'offline',
      'start',
      '--stage',
      'local',
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(opts.port),
      '--lambdaPort',
      String(lambdaPort),
      '--noTimeout',
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const onData = (b: Buffer) => {
    const s = b.toString();
    output += s;
    if (output.length > 200_000) output = output.slice(-100_000);
    if (!opts.quiet) process.stdout.write(s.replace(/^/gm, '[api] '));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (;;) {
    if (exited !== null) throw new Error(`serverless-offline exited (${exited}) before it was ready:\n${output.slice(-4000)}`);
    if (/Build failed with|Cannot parse "serverless.yml"/.test(output)) {
      child.kill('SIGKILL');
      throw new Error(`serverless-offline could not build the handlers:\n${output.slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serverless-offline was not ready in time:\n${output.slice(-4000)}`);
    }
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port: opts.port,
    lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
    child,
    close: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
