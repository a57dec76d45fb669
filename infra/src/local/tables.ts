/**
 * Creates the local table from infra/dynamodb-table.yml, the same definition serverless.yml
 * deploys. Only the attributes CreateTable understands are taken; deployment-only settings
 * (PITR, deletion protection, SSE, streams) have no local meaning. TTL is enabled through the
 * local transaction layer, which emulates it.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';

export const TABLE_FILE = path.resolve(__dirname, '../../dynamodb-table.yml');

interface TableResource {
  Properties: {
    AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
    KeySchema: CreateTableCommandInput['KeySchema'];
    GlobalSecondaryIndexes?: CreateTableCommandInput['GlobalSecondaryIndexes'];
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  };
}

export function tableDefinition(tableName: string): { create: CreateTableCommandInput; ttlAttribute?: string } {
  const doc = yaml.load(fs.readFileSync(TABLE_FILE, 'utf8')) as { Resources: { MainTable: TableResource } };
  const p = doc.Resources.MainTable.Properties;
  return {
    create: {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: p.AttributeDefinitions,
      KeySchema: p.KeySchema,
      GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
    },
    ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'cn-northwest-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates the table if it does not exist yet (a persisted store keeps it). Returns true when created. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException) && (e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
  }
  const def = tableDefinition(tableName);
  await client.send(new CreateTableCommand(def.create));
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (def.ttlAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } }),
    );
  }
  return true;
}
