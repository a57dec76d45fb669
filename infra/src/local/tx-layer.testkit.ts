/**
 * Shared helpers for the transaction-layer tests: SDK clients with fake credentials pointed at
 * a store, and uuid-named tables (tests isolate with fresh names, never by truncating).
 */
import { Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DynamoDBClient,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface Clients {
  ddb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  destroy(): void;
}

/**
 * `maxAttempts: 1` where a test counts errors, so the SDK's retries cannot hide or repeat one;
 * omit it to get the SDK default (3 attempts) as a handler on Lambda would.
 */
export function makeClients(endpoint: string, opts: { maxAttempts?: number } = {}): Clients {
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
    // Enough sockets for the 200-request race without the SDK's "socket usage at capacity" warning.
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) },
  });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  return {
    ddb,
    doc,
    destroy: () => {
      doc.destroy();
      ddb.destroy();
    },
  };
}

export interface TableSpec {
  /** Add a sort key `sk` (string). */
  sortKey?: boolean;
  /** Add a GSI `gsi1` on `gsi1pk` (string) / `gsi1sk` (string). */
  gsi?: boolean;
}

/** Creates a table with a fresh uuid name: partition key `pk` (string), optional `sk`. */
export async function createTable(ddb: DynamoDBClient, spec: TableSpec = {}): Promise<string> {
  const name = `t-${randomUUID()}`;
  const attrs: AttributeDefinition[] = [{ AttributeName: 'pk', AttributeType: 'S' }];
  const keys: KeySchemaElement[] = [{ AttributeName: 'pk', KeyType: 'HASH' }];
  if (spec.sortKey) {
    attrs.push({ AttributeName: 'sk', AttributeType: 'S' });
    keys.push({ AttributeName: 'sk', KeyType: 'RANGE' });
  }
  const gsis: GlobalSecondaryIndex[] = [];
  if (spec.gsi) {
    attrs.push({ AttributeName: 'gsi1pk', AttributeType: 'S' }, { AttributeName: 'gsi1sk', AttributeType: 'S' });
    gsis.push({
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
  }
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attrs,
      KeySchema: keys,
      ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
    }),
  );
  return name;
}

/** Awaits a promise expected to reject and returns the error (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
