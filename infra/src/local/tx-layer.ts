/**
 * The local DynamoDB endpoint: dynalite behind a small HTTP layer that adds the operations
 * dynalite lacks (TransactWriteItems, TransactGetItems, UpdateTimeToLive, and a real
 * DescribeTimeToLive) with DynamoDB's documented semantics. Everything else is forwarded to
 * dynalite byte for byte (status, headers such as x-amzn-RequestId and x-amz-crc32, body).
 *
 * Isolation: one readers–writer lock.
 *  - exclusive: TransactWriteItems, TransactGetItems, CreateTable, DeleteTable, UpdateTable,
 *    UpdateTimeToLive;
 *  - shared: every other operation (single-item reads and writes, Query, Scan, Batch*).
 * Single-item operations are already atomic per item inside dynalite (it locks the key around
 * read-check-write), so they may run side by side; no operation can run while a transaction is
 * between its snapshot and its last write or rollback. See docs/local-transactions.md.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type { RunningStore, StoreOptions } from './store';
import { RwLock, type LockMode } from './tx-layer-lock';
import {
  DynamoError,
  JSON_CONTENT_TYPE,
  TARGET_PREFIX,
  Upstream,
  forwardableHeaders,
  isRecord,
  sendError,
  sendJson,
} from './tx-layer-protocol';
import { SchemaCache } from './tx-layer-schema';
import { TransactionEngine } from './tx-layer-transactions';
import { TtlManager } from './tx-layer-ttl';

export interface TxLayerOptions extends StoreOptions {
  /** How often the TTL sweeper runs; 0 disables the timer (sweepExpiredItems() still works). Default 5000. */
  ttlSweepIntervalMs?: number;
  /** Clock in epoch milliseconds, for the TTL sweeper and the idempotency window. Default Date.now. */
  now?: () => number;
}

export interface TxLayer extends RunningStore {
  /** dynalite's own endpoint, bypassing the layer (benchmarks only: it has no transactions). */
  upstreamEndpoint: string;
  /** Runs one TTL sweep now; resolves the number of items deleted. */
  sweepExpiredItems(): Promise<number>;
}

/** Name of the TTL settings file kept beside the LevelDB files when a path is given. */
export const TTL_SETTINGS_FILE = 'jiayi-ttl.json';

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const EXCLUSIVE_PROXIED = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);

export async function startTxLayer(opts: TxLayerOptions = {}): Promise<TxLayer> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  if (opts.path) await mkdir(opts.path, { recursive: true });

  // dynalite on a random loopback port: only the layer talks to it.
  const dyn = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(opts.path ? { path: opts.path } : {}),
  });
  await listen(dyn, 0, '127.0.0.1');
  const upstream = new Upstream('127.0.0.1', (dyn.address() as AddressInfo).port);

  const lock = new RwLock();
  const schemas = new SchemaCache(upstream);
  const engine = new TransactionEngine(upstream, schemas, now);
  const ttl = new TtlManager(upstream, schemas, now, opts.path ? join(opts.path, TTL_SETTINGS_FILE) : undefined);
  await ttl.load();

  const inflight = new Set<Promise<void>>();
  const server = http.createServer((req, res) => {
    const p = handle(req, res).finally(() => inflight.delete(p));
    inflight.add(p);
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      if (body === undefined) {
        res.statusCode = 413;
        res.end();
        return;
      }
      const target = req.headers['x-amz-target'];
      const op = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const contentType = responseContentType(req);
      if (req.method === 'POST' && OWN_OPERATIONS.has(op)) {
        let input: unknown;
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          sendError(res, DynamoError.serialization(), contentType);
          return;
        }
        if (!isRecord(input)) {
          sendError(res, DynamoError.serialization(), contentType);
          return;
        }
        const out = await ownOperation(op, input);
        sendJson(res, 200, out, contentType);
        return;
      }
      await proxy(req, res, op, body);
    } catch (err) {
      const e = err instanceof DynamoError ? err : DynamoError.internal(err instanceof Error ? err.message : String(err));
      if (!(err instanceof DynamoError)) console.error('[tx-layer] unexpected error', err);
      if (!res.headersSent) sendError(res, e, responseContentType(req));
      else res.destroy();
    }
  }

  async function ownOperation(op: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (op) {
      case 'TransactWriteItems': {
        const run = await engine.prepareWrite(input);
        return lock.run('exclusive', run);
      }
      case 'TransactGetItems': {
        const run = await engine.prepareGet(input);
        return lock.run('exclusive', run);
      }
      case 'UpdateTimeToLive':
        return lock.run('exclusive', () => ttl.update(input));
      case 'DescribeTimeToLive':
        return ttl.describe(input);
      default:
        throw DynamoError.internal(`unhandled operation ${op}`);
    }
  }

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, op: string, body: Buffer): Promise<void> {
    const mode: LockMode = EXCLUSIVE_PROXIED.has(op) ? 'exclusive' : 'shared';
    const answer = await lock.run(mode, async () => {
      const r = await upstream.raw(req.method ?? 'POST', req.url ?? '/', forwardableHeaders(req.headers), body);
      if (r.status === 200 && (op === 'DeleteTable' || op === 'CreateTable')) {
        const table = tableNameIn(body);
        if (table) {
          schemas.invalidate(table);
          await ttl.forget(table);
        }
      }
      return r;
    });
    const headers = forwardableHeaders(answer.headers);
    headers['content-length'] = answer.body.length;
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  async function sweepExpiredItems(): Promise<number> {
    return ttl.sweep((fn) => lock.run('shared', fn));
  }

  // The sweeper: never overlaps itself, never keeps the process alive.
  let sweeping: Promise<unknown> = Promise.resolve();
  let sweepBusy = false;
  const interval = opts.ttlSweepIntervalMs ?? 5000;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (sweepBusy) return;
          sweepBusy = true;
          sweeping = sweepExpiredItems()
            .catch((err: unknown) => console.error('[tx-layer] TTL sweep failed', err))
            .finally(() => {
              sweepBusy = false;
            });
        }, interval)
      : undefined;
  timer?.unref();

  try {
    await listen(server, opts.port ?? 0, host);
  } catch (err) {
    if (timer) clearInterval(timer);
    upstream.destroy();
    await closeServer(dyn);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    if (timer) clearInterval(timer);
    const stopped = closeServer(server);
    server.closeIdleConnections();
    await Promise.allSettled([...inflight]);
    server.closeAllConnections();
    await stopped;
    await sweeping;
    upstream.destroy();
    await closeServer(dyn);
  }

  return {
    endpoint: `http://${endpointHost(host)}:${port}`,
    port,
    upstreamEndpoint: upstream.endpoint,
    sweepExpiredItems,
    close: () => (closing ??= close()),
  };
}

const OWN_OPERATIONS = new Set(['TransactWriteItems', 'TransactGetItems', 'UpdateTimeToLive', 'DescribeTimeToLive']);

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function responseContentType(req: http.IncomingMessage): string {
  const ct = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  return ct === 'application/json' ? ct : JSON_CONTENT_TYPE;
}

function tableNameIn(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(parsed) && typeof parsed.TableName === 'string' ? parsed.TableName : undefined;
  } catch {
    return undefined;
  }
}

function endpointHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => {
      // A server that was never listening reports ERR_SERVER_NOT_RUNNING: nothing to close.
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
  });
}
