/**
 * TransactWriteItems / TransactGetItems through the real SDK commands against the local layer.
 * Expected behaviour is DynamoDB's documented one (API reference: TransactWriteItems,
 * TransactGetItems, TransactionCanceledException); see docs/local-transactions.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startTxLayer, type TxLayer } from './tx-layer';
import { createTable, makeClients, rejection, type Clients } from './tx-layer.testkit';

let layer: TxLayer;
let c: Clients;
let table: string;
let clock = Date.UTC(2025, 0, 1);

beforeAll(async () => {
  // The clock is injected so the 10-minute idempotency window can be crossed without waiting.
  layer = await startTxLayer({ now: () => clock, ttlSweepIntervalMs: 0 });
  c = makeClients(layer.endpoint, { maxAttempts: 1 });
  table = await createTable(c.ddb, { sortKey: true });
});

afterAll(async () => {
  c?.destroy();
  await layer?.close();
});

const id = () => randomUUID();
const get = async (pk: string, sk = 'A') =>
  (await c.doc.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }))).Item;
const put = (item: Record<string, unknown>) => c.doc.send(new PutCommand({ TableName: table, Item: { sk: 'A', ...item } }));

describe('TransactWriteItems: all or nothing', () => {
  it('applies every action when every condition holds', async () => {
    const [a, b, d, e] = [id(), id(), id(), id()];
    await put({ pk: b, n: 1 });
    await put({ pk: d, n: 1 });
    await put({ pk: e, n: 1 });
    await c.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: a, sk: 'A', n: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              TableName: table,
              Key: { pk: b, sk: 'A' },
              UpdateExpression: 'ADD n :one',
              ConditionExpression: 'n = :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          { Delete: { TableName: table, Key: { pk: d, sk: 'A' }, ConditionExpression: 'attribute_exists(pk)' } },
          { ConditionCheck: { TableName: table, Key: { pk: e, sk: 'A' }, ConditionExpression: 'n = :one', ExpressionAttributeValues: { ':one': 1 } } },
        ],
      }),
    );
    expect(await get(a)).toEqual({ pk: a, sk: 'A', n: 1 });
    expect(await get(b)).toEqual({ pk: b, sk: 'A', n: 2 });
    expect(await get(d)).toBeUndefined();
    expect(await get(e)).toEqual({ pk: e, sk: 'A', n: 1 });
  });

  it('leaves all four items untouched when the 3rd of 4 conditions fails', async () => {
    const [a, b, d, e] = [id(), id(), id(), id()];
    await put({ pk: b, n: 1 });
    await put({ pk: d, n: 1, state: 'open' });
    await put({ pk: e, n: 1 });
    const before = { b: await get(b), d: await get(d), e: await get(e) };
    const err = await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: a, sk: 'A', n: 9 } } },
            { Update: { TableName: table, Key: { pk: b, sk: 'A' }, UpdateExpression: 'SET n = :nine', ExpressionAttributeValues: { ':nine': 9 } } },
            {
              Update: {
                TableName: table,
                Key: { pk: d, sk: 'A' },
                UpdateExpression: 'SET #s = :closed',
                ConditionExpression: '#s = :closed', // fails: the state is 'open'
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: { ':closed': 'closed' },
              },
            },
            { Delete: { TableName: table, Key: { pk: e, sk: 'A' } } },
          ],
        }),
      ),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(await get(a)).toBeUndefined(); // the Put that had been applied is rolled back
    expect(await get(b)).toEqual(before.b);
    expect(await get(d)).toEqual(before.d);
    expect(await get(e)).toEqual(before.e); // the Delete is rolled back
  });
});

describe('TransactWriteItems: conditions per action type', () => {
  it('Put with attribute_not_exists fails on an existing item', async () => {
    const a = id();
    await put({ pk: a, v: 'old' });
    const err = await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: table, Item: { pk: a, sk: 'A', v: 'new' }, ConditionExpression: 'attribute_not_exists(pk)' } }],
        }),
      ),
    );
    expect(err.CancellationReasons).toEqual([{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    expect((await get(a))?.v).toBe('old');
  });

  it('Update creates a missing item (upsert) and a failed one is rolled back to "absent"', async () => {
    const [a, b] = [id(), id()];
    await c.doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Update: { TableName: table, Key: { pk: a, sk: 'A' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } }],
      }),
    );
    expect(await get(a)).toEqual({ pk: a, sk: 'A', n: 1 });
    await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: table, Key: { pk: b, sk: 'A' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
            { ConditionCheck: { TableName: table, Key: { pk: a, sk: 'A' }, ConditionExpression: 'n > :one', ExpressionAttributeValues: { ':one': 1 } } },
          ],
        }),
      ),
    );
    expect(await get(b)).toBeUndefined();
  });

  it('Delete with a condition on the current value', async () => {
    const a = id();
    await put({ pk: a, version: 3 });
    const stale = await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Delete: { TableName: table, Key: { pk: a, sk: 'A' }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 2 } } }],
        }),
      ),
    );
    expect(stale.name).toBe('TransactionCanceledException');
    expect(await get(a)).toBeDefined();
    await c.doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Delete: { TableName: table, Key: { pk: a, sk: 'A' }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 3 } } }],
      }),
    );
    expect(await get(a)).toBeUndefined();
  });

  it('ConditionCheck on a missing item evaluates against an empty item and writes nothing', async () => {
    const [missing, other] = [id(), id()];
    await c.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: table, Key: { pk: missing, sk: 'A' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table, Item: { pk: other, sk: 'A' } } },
        ],
      }),
    );
    expect(await get(missing)).toBeUndefined();
    expect(await get(other)).toBeDefined();
    const err = await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ ConditionCheck: { TableName: table, Key: { pk: missing, sk: 'A' }, ConditionExpression: 'attribute_exists(pk)' } }],
        }),
      ),
    );
    expect(err.CancellationReasons).toEqual([{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    expect(await get(missing)).toBeUndefined();
  });

  it('ConditionCheck leaves an existing item exactly as it was', async () => {
    const a = id();
    await put({ pk: a, n: 5, tags: new Set(['x', 'y']), nested: { deep: [1, 'two', null] } });
    const before = await get(a);
    await c.doc.send(
      new TransactWriteCommand({
        TransactItems: [{ ConditionCheck: { TableName: table, Key: { pk: a, sk: 'A' }, ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': 5 } } }],
      }),
    );
    expect(await get(a)).toEqual(before);
  });
});

describe('TransactionCanceledException', () => {
  it('lists one reason per action in request order, every failing one included', async () => {
    const [a, b, d, e] = [id(), id(), id(), id()];
    await put({ pk: a, n: 1 });
    await put({ pk: d, n: 1 });
    const err = await rejection(
      c.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: { S: a }, sk: { S: 'A' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { Put: { TableName: table, Item: { pk: { S: b }, sk: { S: 'A' } } } },
            { Update: { TableName: table, Key: { pk: { S: d }, sk: { S: 'A' } }, UpdateExpression: 'SET n = :two', ConditionExpression: 'n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } } },
            { Delete: { TableName: table, Key: { pk: { S: e }, sk: { S: 'A' } } } },
          ],
        }),
      ),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, ConditionalCheckFailed, None]',
    );
    expect(err.CancellationReasons).toEqual([
      // ALL_OLD returns the item as it was; the third action did not ask for it.
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: a }, sk: { S: 'A' }, n: { N: '1' } } },
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    expect((err.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
    expect(await get(b)).toBeUndefined();
  });

  it('reports a data-dependent update error as a ValidationError reason', async () => {
    const [a, b] = [id(), id()];
    await put({ pk: a, label: 'text' });
    const err = await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: b, sk: 'A' } } },
            // ADD on a string attribute: valid request, invalid for this item's data.
            { Update: { TableName: table, Key: { pk: a, sk: 'A' }, UpdateExpression: 'ADD label :one', ExpressionAttributeValues: { ':one': 1 } } },
          ],
        }),
      ),
    );
    expect(err.name).toBe('TransactionCanceledException');
    const reasons = err.CancellationReasons as { Code: string; Message?: string }[];
    expect(reasons.map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    expect(reasons[1]?.Message).toMatch(/incorrect data type|Type mismatch/);
    expect(await get(b)).toBeUndefined();
  });
});

describe('TransactWriteItems: request validation', () => {
  it('rejects two actions on the same item', async () => {
    const a = id();
    const err = await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: a, sk: 'A', n: 1 } } },
            { Update: { TableName: table, Key: { pk: a, sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 2 } } },
          ],
        }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Transaction request cannot include multiple operations on one item');
    expect(await get(a)).toBeUndefined();
  });

  it('rejects an empty list', async () => {
    const err = await rejection(c.ddb.send(new TransactWriteItemsCommand({ TransactItems: [] })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/greater than or equal to 1/);
  });

  it('accepts 100 actions and rejects 101', async () => {
    const prefix = id();
    const puts = (n: number): TransactWriteItem[] =>
      Array.from({ length: n }, (_, i) => ({ Put: { TableName: table, Item: { pk: { S: `${prefix}-${i}` }, sk: { S: 'A' } } } }));
    const err = await rejection(c.ddb.send(new TransactWriteItemsCommand({ TransactItems: puts(101) })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/less than or equal to 100/);
    expect(await get(`${prefix}-0`)).toBeUndefined();
    await c.ddb.send(new TransactWriteItemsCommand({ TransactItems: puts(100) }));
    expect(await get(`${prefix}-99`)).toBeDefined();
  });

  it('rejects an action with no or several operation kinds', async () => {
    const err = await rejection(c.ddb.send(new TransactWriteItemsCommand({ TransactItems: [{}] })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('TransactItems can only contain one of Check, Put, Update or Delete');
  });

  it('rejects a Put whose item lacks the key, and a key that does not match the schema', async () => {
    const noKey = await rejection(
      c.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: id() } } }] })),
    );
    expect(noKey.name).toBe('ValidationException');
    expect(noKey.message).toMatch(/Missing the key sk/);
    const badKey = await rejection(
      c.doc.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: table, Key: { pk: id() } } }] })),
    );
    expect(badKey.message).toBe('The provided key element does not match the schema');
  });

  it('fails the whole request on a malformed expression, undoing nothing visible', async () => {
    const [a, b] = [id(), id()];
    const err = await rejection(
      c.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: a, sk: 'A' } } },
            { Update: { TableName: table, Key: { pk: b, sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1, ':unused': 2 } } },
          ],
        }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/unused/i);
    expect(await get(a)).toBeUndefined();
    expect(await get(b)).toBeUndefined();
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const err = await rejection(
      c.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: `missing-${id()}`, Item: { pk: 'x' } } }] })),
    );
    expect(err.name).toBe('ResourceNotFoundException');
  });
});

describe('TransactWriteItems: ClientRequestToken idempotency', () => {
  const bump = (pk: string, token: string, by = 1) =>
    c.doc.send(
      new TransactWriteCommand({
        ClientRequestToken: token,
        TransactItems: [{ Update: { TableName: table, Key: { pk, sk: 'A' }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
      }),
    );

  it('replays the same successful answer without applying the writes again', async () => {
    const [a, token] = [id(), id()];
    await bump(a, token);
    const replay = await bump(a, token);
    expect(replay.$metadata.httpStatusCode).toBe(200);
    expect((await get(a))?.n).toBe(1);
  });

  it('answers IdempotentParameterMismatchException for the same token with other parameters', async () => {
    const [a, token] = [id(), id()];
    await bump(a, token);
    const err = await rejection(bump(a, token, 5));
    expect(err.name).toBe('IdempotentParameterMismatchException');
    expect((await get(a))?.n).toBe(1);
  });

  it('does not remember a cancelled transaction, and forgets a token after 10 minutes', async () => {
    const [a, token, cancelledToken] = [id(), id(), id()];
    const guarded = () =>
      c.doc.send(
        new TransactWriteCommand({
          ClientRequestToken: cancelledToken,
          TransactItems: [
            { Update: { TableName: table, Key: { pk: a, sk: 'A' }, UpdateExpression: 'SET ok = :t', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':t': true } } },
          ],
        }),
      );
    expect((await rejection(guarded())).name).toBe('TransactionCanceledException');
    await put({ pk: a, n: 0 });
    await guarded(); // same token, now succeeds: the cancelled attempt was not cached
    expect((await get(a))?.ok).toBe(true);

    await bump(a, token);
    clock += 10 * 60 * 1000 + 1;
    await bump(a, token); // outside the window: a new request
    expect((await get(a))?.n).toBe(2);
  });
});

describe('TransactGetItems', () => {
  it('returns the items in request order, {} for a missing one, with projections', async () => {
    const [a, b, missing] = [id(), id(), id()];
    await put({ pk: a, name: 'A', secret: 'x' });
    await put({ pk: b, name: 'B', secret: 'y' });
    const out = await c.doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: table, Key: { pk: b, sk: 'A' } } },
          { Get: { TableName: table, Key: { pk: missing, sk: 'A' } } },
          { Get: { TableName: table, Key: { pk: a, sk: 'A' }, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' } } },
        ],
      }),
    );
    expect(out.Responses).toEqual([{ Item: { pk: b, sk: 'A', name: 'B', secret: 'y' } }, {}, { Item: { name: 'A' } }]);
  });

  it('rejects the same item twice and more than 100 gets', async () => {
    const a = id();
    const dup = await rejection(
      c.doc.send(
        new TransactGetCommand({
          TransactItems: [{ Get: { TableName: table, Key: { pk: a, sk: 'A' } } }, { Get: { TableName: table, Key: { pk: a, sk: 'A' } } }],
        }),
      ),
    );
    expect(dup.name).toBe('ValidationException');
    expect(dup.message).toBe('Transaction request cannot include multiple operations on one item');
    const many = await rejection(
      c.doc.send(
        new TransactGetCommand({
          TransactItems: Array.from({ length: 101 }, (_, i) => ({ Get: { TableName: table, Key: { pk: `${a}-${i}`, sk: 'A' } } })),
        }),
      ),
    );
    expect(many.name).toBe('ValidationException');
  });
});
