/**
 * The DynamoDB document client. Built lazily from the environment: on AWS the SDK finds the
 * regional endpoint; locally AWS_ENDPOINT_URL_DYNAMODB points it at the local store
 * (dynalite + our transaction layer). No "if local" branches anywhere.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config';

let doc: DynamoDBDocumentClient | undefined;

export function db(): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return doc;
}

export function tableName(): string {
  return config().tableName;
}

/** Tests and tools may supply their own client (e.g. a benchmark with its own endpoint). */
export function setDb(client: DynamoDBDocumentClient): void {
  doc = client;
}

/** One item by its key (`consistent`: a strongly consistent read), or undefined. */
export async function getItem(key: Record<string, string>, consistent = false): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: consistent }))).Item;
}

/** Put a record whole under its key, replacing what is there (no condition: writes that race use a plan). */
export async function putRecord(key: Record<string, string>, type: string, record: object): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...key, type, ...record } }));
}

/** The named fields of one item (the record without its keys), or undefined. */
export async function getFields<T>(key: Record<string, string>, fields: readonly (keyof T & string)[]): Promise<T | undefined> {
  const item = await getItem(key);
  return item ? (Object.fromEntries(fields.map((f) => [f, item[f]])) as T) : undefined;
}
