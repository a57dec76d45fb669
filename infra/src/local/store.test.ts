/**
 * startStore(): the proxy path to dynalite (plain operations keep working, byte for byte), the
 * options, and persistence across a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { startStore, type RunningStore } from './store';
import { createTable, makeClients, rejection, type Clients } from './tx-layer.testkit';

let store: RunningStore;
let c: Clients;
let table: string;

beforeAll(async () => {
  store = await startStore();
  c = makeClients(store.endpoint, { maxAttempts: 1 });
  table = await createTable(c.ddb, { sortKey: true, gsi: true });
});

afterAll(async () => {
  c?.destroy();
  await store?.close();
});

describe('startStore', () => {
  it('listens on loopback on a random port and reports its endpoint', () => {
    expect(store.endpoint).toBe(`http://127.0.0.1:${store.port}`);
    expect(store.port).toBeGreaterThan(0);
  });

  it('can close twice', async () => {
    const s = await startStore();
    await s.close();
    await expect(s.close()).resolves.toBeUndefined();
  });
});

describe('plain operations through the proxy', () => {
  it('PutItem, GetItem, Query (table and GSI), conditional UpdateItem, DeleteItem, BatchWrite', async () => {
    const pk = `patient-${randomUUID()}`;
    await c.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'PROFILE', name: '张三', gsi1pk: 'DOCTOR#1', gsi1sk: pk } }));
    await c.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [table]: [1, 2, 3].map((i) => ({ PutRequest: { Item: { pk, sk: `VISIT#${i}`, fee: i * 100 } } })),
        },
      }),
    );
    const visits = await c.doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': pk, ':v': 'VISIT#' },
      }),
    );
    expect(visits.Items?.map((i) => i.fee)).toEqual([100, 200, 300]);
    const byDoctor = await c.doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :d AND gsi1sk = :p',
        ExpressionAttributeValues: { ':d': 'DOCTOR#1', ':p': pk },
      }),
    );
    expect(byDoctor.Items?.[0]?.name).toBe('张三');

    const updated = await c.doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk, sk: 'PROFILE' },
        UpdateExpression: 'SET #n = :new',
        ConditionExpression: '#n = :old',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':old': '张三', ':new': '李四' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes?.name).toBe('李四');
    const stale = await rejection(
      c.doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk, sk: 'PROFILE' },
          UpdateExpression: 'SET #n = :new',
          ConditionExpression: '#n = :old',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':old': '张三', ':new': '王五' },
        }),
      ),
    );
    expect(stale.name).toBe('ConditionalCheckFailedException');

    await c.doc.send(new DeleteCommand({ TableName: table, Key: { pk, sk: 'VISIT#1' } }));
    expect((await c.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'VISIT#1' } }))).Item).toBeUndefined();
  });

  it('forwards dynalite answers unchanged: status, request id and CRC32 headers', async () => {
    const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request(
        `${store.endpoint}/`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'DynamoDB_20120810.ListTables',
            'x-amz-date': '20250101T000000Z',
            authorization: 'AWS4-HMAC-SHA256 Credential=local/20250101/cn-north-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
          },
        },
        (r) => {
          let body = '';
          r.on('data', (chunk: Buffer) => (body += chunk.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-amzn-requestid']).toMatch(/^[A-Z0-9]{52}$/);
    expect(res.headers['x-amz-crc32']).toMatch(/^\d+$/);
    expect(JSON.parse(res.body).TableNames).toContain(table);
  });

  it('passes dynalite errors through, e.g. a missing table', async () => {
    const err = await rejection(c.ddb.send(new DescribeTableCommand({ TableName: `t-missing-${randomUUID()}` })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('forgets a deleted table: a re-created table with another key schema works in transactions', async () => {
    const t = await createTable(c.ddb);
    await c.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: t, Item: { pk: 'a' } } }] }));
    await c.ddb.send(new UpdateTimeToLiveCommand({ TableName: t, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
    await c.ddb.send(new DeleteTableCommand({ TableName: t }));
    await c.ddb.send(
      new (await import('@aws-sdk/client-dynamodb')).CreateTableCommand({
        TableName: t,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await c.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: t, Item: { pk: 'a', sk: 'b' } } }] }));
    expect((await c.doc.send(new GetCommand({ TableName: t, Key: { pk: 'a', sk: 'b' } }))).Item).toEqual({ pk: 'a', sk: 'b' });
    expect((await c.ddb.send(new DescribeTimeToLiveCommand({ TableName: t }))).TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });
});

describe('persistence', () => {
  it('keeps tables, items and TTL settings across a restart with a path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jiayi-store-'));
    const path = join(dir, 'nested', 'db'); // created if missing
    try {
      const first = await startStore({ path });
      const c1 = makeClients(first.endpoint, { maxAttempts: 1 });
      const t = await createTable(c1.ddb);
      await c1.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: t, Item: { pk: 'kept', n: 1 } } }, { Put: { TableName: t, Item: { pk: 'also', n: 2 } } }],
        }),
      );
      await c1.ddb.send(new UpdateTimeToLiveCommand({ TableName: t, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
      c1.destroy();
      await first.close();

      const second = await startStore({ path });
      const c2 = makeClients(second.endpoint, { maxAttempts: 1 });
      try {
        expect((await c2.ddb.send(new ListTablesCommand({}))).TableNames).toContain(t);
        expect((await c2.doc.send(new GetCommand({ TableName: t, Key: { pk: 'kept' } }))).Item).toEqual({ pk: 'kept', n: 1 });
        expect((await c2.ddb.send(new DescribeTimeToLiveCommand({ TableName: t }))).TimeToLiveDescription).toEqual({
          TimeToLiveStatus: 'ENABLED',
          AttributeName: 'ttl',
        });
      } finally {
        c2.destroy();
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is in memory without a path', async () => {
    const first = await startStore();
    const c1 = makeClients(first.endpoint, { maxAttempts: 1 });
    const t = await createTable(c1.ddb);
    c1.destroy();
    await first.close();
    const second = await startStore();
    const c2 = makeClients(second.endpoint, { maxAttempts: 1 });
    try {
      expect((await c2.ddb.send(new ListTablesCommand({}))).TableNames).not.toContain(t);
    } finally {
      c2.destroy();
      await second.close();
    }
  });
});
