/**
 * The DynamoDB document client. Built lazily from the environment: on AWS the SDK finds the
 * regional endpoint; locally AWS_ENDPOINT_URL_DYNAMODB points it at the local store
 * (dynalite + our transaction layer). No "if local" branches anywhere.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
