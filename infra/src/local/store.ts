/**
 * The local DynamoDB store used by `npm start` and the vitest global setup: dynalite behind the
 * transaction layer (tx-layer.ts), so handlers use the same SDK commands as on AWS —
 * TransactWriteItems, TransactGetItems, UpdateTimeToLive included. Point the SDK at it with
 * `AWS_ENDPOINT_URL_DYNAMODB=<endpoint>`. Semantics and deviations: docs/local-transactions.md.
 */
import { startTxLayer } from './tx-layer';

export interface StoreOptions {
  /** LevelDB directory for persistence (created if missing); omitted => in memory. */
  path?: string;
  /** 0 or omitted => random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Clock (epoch ms) of the TTL sweeper and the idempotency window: the local clock on a `--date` stack. Default Date.now. */
  now?: () => number;
}

export interface RunningStore {
  /** e.g. http://127.0.0.1:45123 */
  endpoint: string;
  port: number;
  /** Stops accepting requests, lets in-flight ones finish, then closes dynalite (and LevelDB). */
  close(): Promise<void>;
}

export async function startStore(opts: StoreOptions = {}): Promise<RunningStore> {
  const layer = await startTxLayer(opts);
  return { endpoint: layer.endpoint, port: layer.port, close: layer.close };
}
