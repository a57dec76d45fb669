/**
 * Concurrency: many clients racing for a few places, reads never seeing a half-applied
 * transaction, and the SDK's retries neither hiding nor repeating a transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, ScanCommand, TransactGetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startStore, type RunningStore } from './store';
import { createTable, makeClients, rejection, type Clients } from './tx-layer.testkit';

let store: RunningStore;
let strict: Clients; // maxAttempts 1: every error is seen exactly once
let lenient: Clients; // SDK default retries, as a Lambda handler would run
let table: string;

beforeAll(async () => {
  store = await startStore();
  strict = makeClients(store.endpoint, { maxAttempts: 1 });
  lenient = makeClients(store.endpoint);
  table = await createTable(strict.ddb, { sortKey: true });
});

afterAll(async () => {
  strict?.destroy();
  lenient?.destroy();
  await store?.close();
});

const CAPACITY = 10;
const CONTENDERS = 200;

/** One booking: take a place on the counter and write a booking item, atomically. */
function book(client: Clients, slot: string, patient: string) {
  return client.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: { pk: slot, sk: 'COUNTER' },
            UpdateExpression: 'ADD places :one',
            ConditionExpression: 'places < :cap',
            ExpressionAttributeValues: { ':one': 1, ':cap': CAPACITY },
          },
        },
        {
          Put: {
            TableName: table,
            Item: { pk: slot, sk: `BOOKING#${patient}`, patient },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
}

/** `patients` distinct patients among the contenders (fewer than CONTENDERS => repeat bookings). */
async function race(client: Clients, patients = CONTENDERS) {
  const slot = `slot-${randomUUID()}`;
  await client.doc.send(new PutCommand({ TableName: table, Item: { pk: slot, sk: 'COUNTER', places: 0 } }));
  const results = await Promise.allSettled(Array.from({ length: CONTENDERS }, (_, i) => book(client, slot, `p${i % patients}`)));
  const counter = await client.doc.send(new GetCommand({ TableName: table, Key: { pk: slot, sk: 'COUNTER' }, ConsistentRead: true }));
  const bookings = await client.doc.send(
    new ScanCommand({
      TableName: table,
      ConsistentRead: true,
      FilterExpression: 'pk = :slot AND begins_with(sk, :b)',
      ExpressionAttributeValues: { ':slot': slot, ':b': 'BOOKING#' },
    }),
  );
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  return {
    winners: results.filter((r) => r.status === 'fulfilled').length,
    cancelled: rejected.filter((r) => (r.reason as Error).name === 'TransactionCanceledException').length,
    otherErrors: rejected.filter((r) => (r.reason as Error).name !== 'TransactionCanceledException').map((r) => String(r.reason)),
    attempts: results.map((r) =>
      r.status === 'fulfilled' ? r.value.$metadata.attempts : (r.reason as { $metadata?: { attempts?: number } }).$metadata?.attempts,
    ),
    places: counter.Item?.places as number,
    bookings: bookings.Items?.length ?? 0,
  };
}

describe('the race for places', () => {
  it('200 concurrent transactions for 10 places: exactly 10 winners, 190 cancelled, counter 10', async () => {
    const r = await race(strict);
    expect(r.otherErrors).toEqual([]);
    expect(r.winners).toBe(CAPACITY);
    expect(r.cancelled).toBe(CONTENDERS - CAPACITY);
    expect(r.places).toBe(CAPACITY);
    expect(r.bookings).toBe(CAPACITY);
  });

  it('with the SDK default retries the outcome is the same and nothing is retried', async () => {
    const r = await race(lenient);
    expect(r.otherErrors).toEqual([]);
    expect(r.winners).toBe(CAPACITY);
    expect(r.cancelled).toBe(CONTENDERS - CAPACITY);
    expect(r.places).toBe(CAPACITY);
    expect(r.bookings).toBe(CAPACITY);
    // TransactionCanceledException is not retryable: every call made exactly one attempt.
    expect(new Set(r.attempts)).toEqual(new Set([1]));
  });

  it('with repeat bookings, the counter rollbacks of cancelled transactions lose no update', async () => {
    // Every patient tries 4 times: a repeat passes the counter condition, fails on its booking
    // Put, and must roll the counter back without clobbering concurrent winners.
    const r = await race(strict, CONTENDERS / 4);
    expect(r.otherErrors).toEqual([]);
    expect(r.winners).toBe(CAPACITY);
    expect(r.cancelled).toBe(CONTENDERS - CAPACITY);
    expect(r.places).toBe(CAPACITY);
    expect(r.bookings).toBe(CAPACITY);
  });

  it('plain conditional updates race correctly through the proxy too', async () => {
    const pk = `plain-${randomUUID()}`;
    await strict.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'COUNTER', places: 0 } }));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        strict.doc.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk, sk: 'COUNTER' },
            UpdateExpression: 'ADD places :one',
            ConditionExpression: 'places < :cap',
            ExpressionAttributeValues: { ':one': 1, ':cap': 7 },
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failures.map((f) => (f.reason as Error).name)).toEqual(Array(43).fill('ConditionalCheckFailedException'));
    const item = await strict.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'COUNTER' }, ConsistentRead: true }));
    expect(item.Item?.places).toBe(7);
  });
});

describe('read isolation', () => {
  it('Scan and TransactGet never observe a half-applied or rolled-back transfer', async () => {
    const pk = `accounts-${randomUUID()}`;
    const TOTAL = 100;
    await strict.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'a', balance: TOTAL } }));
    await strict.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'b', balance: 0 } }));
    // Transfers of 1 from a to b. Every third one carries a condition that fails on b (its
    // second action) after the first action has been applied, forcing a rollback.
    const transfer = (i: number) =>
      strict.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: { pk, sk: 'a' },
                UpdateExpression: 'ADD balance :minus',
                ConditionExpression: 'balance >= :one',
                ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
              },
            },
            {
              Update: {
                TableName: table,
                Key: { pk, sk: 'b' },
                UpdateExpression: 'ADD balance :one',
                ...(i % 3 === 0 ? { ConditionExpression: 'attribute_not_exists(balance)' } : {}),
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
    const sums: number[] = [];
    const scan = async () => {
      const out = await strict.doc.send(
        new ScanCommand({ TableName: table, ConsistentRead: true, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      );
      sums.push((out.Items ?? []).reduce((s, it) => s + (it.balance as number), 0));
    };
    const txGet = async () => {
      const out = await strict.doc.send(
        new TransactGetCommand({
          TransactItems: [{ Get: { TableName: table, Key: { pk, sk: 'a' } } }, { Get: { TableName: table, Key: { pk, sk: 'b' } } }],
        }),
      );
      sums.push((out.Responses ?? []).reduce((s, r) => s + (r?.Item?.balance as number), 0));
    };
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i += 1) {
      ops.push(transfer(i).catch((err: Error) => expect(err.name).toBe('TransactionCanceledException')));
      ops.push(scan(), txGet());
    }
    await Promise.all(ops);
    expect(sums).toHaveLength(120);
    expect(new Set(sums)).toEqual(new Set([TOTAL]));
    const b = await strict.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'b' }, ConsistentRead: true }));
    expect(b.Item?.balance).toBe(40); // 60 transfers, 20 cancelled
  });
});

describe('SDK retries after a lost response', () => {
  /**
   * A proxy in front of the store that forwards each request and waits for the answer, then,
   * for the first `drops` requests of the given operation, hangs up instead of answering: the
   * write happened, the client never heard. The SDK treats the reset as transient and retries.
   */
  async function lossyProxy(op: string, drops: number): Promise<{ endpoint: string; close: () => Promise<void>; dropped: () => number }> {
    let dropped = 0;
    const target = new URL(store.endpoint);
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const up = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
          (upRes) => {
            const out: Buffer[] = [];
            upRes.on('data', (c: Buffer) => out.push(c));
            upRes.on('end', () => {
              if (req.headers['x-amz-target'] === `DynamoDB_20120810.${op}` && dropped < drops) {
                dropped += 1;
                req.socket.destroy();
                return;
              }
              res.writeHead(upRes.statusCode ?? 500, upRes.headers);
              res.end(Buffer.concat(out));
            });
          },
        );
        up.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      dropped: () => dropped,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  it('a retried TransactWrite is applied once (the SDK reuses its ClientRequestToken)', async () => {
    const proxy = await lossyProxy('TransactWriteItems', 1);
    const viaProxy = makeClients(proxy.endpoint); // default retries
    try {
      const pk = `retry-${randomUUID()}`;
      const out = await viaProxy.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Update: { TableName: table, Key: { pk, sk: 'C' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } }],
        }),
      );
      expect(proxy.dropped()).toBe(1);
      expect(out.$metadata.attempts).toBe(2);
      const item = await strict.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'C' }, ConsistentRead: true }));
      expect(item.Item?.n).toBe(1);
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
  });

  it('with maxAttempts 1 the lost response surfaces as an error instead', async () => {
    const proxy = await lossyProxy('TransactWriteItems', 1);
    const viaProxy = makeClients(proxy.endpoint, { maxAttempts: 1 });
    try {
      const pk = `noretry-${randomUUID()}`;
      const err = await rejection(
        viaProxy.doc.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: { TableName: table, Key: { pk, sk: 'C' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } }],
          }),
        ),
      );
      expect(String(err.message)).toMatch(/socket hang up|ECONNRESET/);
      const item = await strict.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'C' }, ConsistentRead: true }));
      expect(item.Item?.n).toBe(1); // it was applied; only the answer was lost
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
  });

  it('contrast: a retried plain UpdateItem ADD is applied twice (as on AWS)', async () => {
    const proxy = await lossyProxy('UpdateItem', 1);
    const viaProxy = makeClients(proxy.endpoint);
    try {
      const pk = `plainretry-${randomUUID()}`;
      await viaProxy.doc.send(
        new UpdateCommand({ TableName: table, Key: { pk, sk: 'C' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }),
      );
      const item = await strict.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'C' }, ConsistentRead: true }));
      expect(item.Item?.n).toBe(2);
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
  });
});
