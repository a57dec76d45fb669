/**
 * UpdateTimeToLive / DescribeTimeToLive and the expiry sweeper. Eligibility per the DynamoDB
 * developer guide ("Using DynamoDB Time to Live"): a top-level Number of epoch seconds in the
 * past, but no more than five years in the past.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTxLayer, type TxLayer } from './tx-layer';
import { createTable, makeClients, rejection, type Clients } from './tx-layer.testkit';

const NOW_S = Math.floor(Date.UTC(2025, 5, 1) / 1000);
let clock = NOW_S * 1000;
let layer: TxLayer;
let c: Clients;

beforeAll(async () => {
  layer = await startTxLayer({ now: () => clock, ttlSweepIntervalMs: 0 });
  c = makeClients(layer.endpoint, { maxAttempts: 1 });
});

afterAll(async () => {
  c?.destroy();
  await layer?.close();
});

const describeTtl = async (table: string) =>
  (await c.ddb.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription;
const setTtl = (table: string, enabled: boolean, attr = 'expiresAt') =>
  c.ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: enabled, AttributeName: attr } }));

describe('UpdateTimeToLive / DescribeTimeToLive', () => {
  it('starts disabled, enables, describes, disables', async () => {
    const table = await createTable(c.ddb);
    expect(await describeTtl(table)).toEqual({ TimeToLiveStatus: 'DISABLED' });
    const out = await setTtl(table, true);
    expect(out.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    expect(await describeTtl(table)).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    await setTtl(table, false);
    expect(await describeTtl(table)).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });

  it('rejects enabling twice, disabling when disabled, and a missing table', async () => {
    const table = await createTable(c.ddb);
    expect((await rejection(setTtl(table, false))).message).toBe('TimeToLive is already disabled');
    await setTtl(table, true);
    const twice = await rejection(setTtl(table, true, 'other'));
    expect(twice.name).toBe('ValidationException');
    expect(twice.message).toBe('TimeToLive is already enabled');
    expect((await rejection(setTtl(`t-missing-${Date.now()}`, true))).name).toBe('ResourceNotFoundException');
    expect((await rejection(describeTtl(`t-missing-${Date.now()}`))).name).toBe('ResourceNotFoundException');
  });
});

describe('the TTL sweeper', () => {
  it('deletes expired items only: Number, epoch seconds, past, within five years', async () => {
    const table = await createTable(c.ddb, { sortKey: true });
    await setTtl(table, true);
    const items = [
      { pk: 'expired', sk: '1', expiresAt: NOW_S - 60 },
      { pk: 'future', sk: '1', expiresAt: NOW_S + 60 },
      { pk: 'no-attr', sk: '1' },
      { pk: 'string', sk: '1', expiresAt: String(NOW_S - 60) },
      { pk: 'too-old', sk: '1', expiresAt: NOW_S - 6 * 365 * 86400 },
      { pk: 'millis', sk: '1', expiresAt: (NOW_S - 60) * 1000 }, // ms look like the far future
    ];
    for (const Item of items) await c.doc.send(new PutCommand({ TableName: table, Item }));
    // Expired but not yet swept: still visible, as on AWS.
    expect((await c.doc.send(new GetCommand({ TableName: table, Key: { pk: 'expired', sk: '1' } }))).Item).toBeDefined();

    expect(await layer.sweepExpiredItems()).toBe(1);
    const left = await c.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    expect((left.Items ?? []).map((i) => i.pk).sort()).toEqual(['future', 'millis', 'no-attr', 'string', 'too-old']);

    clock += 120_000;
    expect(await layer.sweepExpiredItems()).toBe(1); // now 'future' has expired too
  });

  it('does nothing for tables without TTL, and stops after TTL is disabled', async () => {
    const table = await createTable(c.ddb);
    await c.doc.send(new PutCommand({ TableName: table, Item: { pk: 'x', expiresAt: 1 } }));
    await c.doc.send(new PutCommand({ TableName: table, Item: { pk: 'y', expiresAt: Math.floor(clock / 1000) - 1 } }));
    await layer.sweepExpiredItems();
    await setTtl(table, true);
    await setTtl(table, false);
    await layer.sweepExpiredItems();
    const left = await c.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    expect(left.Items).toHaveLength(2);
  });

  it('runs on its own timer', async () => {
    const timed = await startTxLayer({ ttlSweepIntervalMs: 50 });
    const tc = makeClients(timed.endpoint, { maxAttempts: 1 });
    try {
      const table = await createTable(tc.ddb);
      await tc.ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
      await tc.doc.send(new PutCommand({ TableName: table, Item: { pk: 'gone', ttl: Math.floor(Date.now() / 1000) - 10 } }));
      await tc.doc.send(new PutCommand({ TableName: table, Item: { pk: 'kept', ttl: Math.floor(Date.now() / 1000) + 3600 } }));
      await vi.waitFor(
        async () => {
          const out = await tc.doc.send(new GetCommand({ TableName: table, Key: { pk: 'gone' }, ConsistentRead: true }));
          expect(out.Item).toBeUndefined();
        },
        { timeout: 10_000, interval: 50 },
      );
      expect((await tc.doc.send(new GetCommand({ TableName: table, Key: { pk: 'kept' } }))).Item).toBeDefined();
    } finally {
      tc.destroy();
      await timed.close();
    }
  });
});
