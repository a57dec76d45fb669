/**
 * What integration tests use to reach the local stack started by test/global-setup.ts.
 */
import { inject } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../infra/src/local/tables';
import { keys } from '../functions/src/db/keys';

let other: { apiUrl: string; storeEndpoint: string } | undefined;

/**
 * Points this test file's helpers (http, storeClient and the fixtures built on them) at another
 * stack than the shared one, e.g. one started at another date (test/dated-stack.ts).
 */
export function useStack(stack: { apiUrl: string; storeEndpoint: string }): void {
  other = stack;
  doc = undefined;
}

export function apiUrl(): string {
  return other?.apiUrl ?? inject('apiUrl');
}

export function tableName(): string {
  return inject('tableName');
}

let doc: DynamoDBDocumentClient | undefined;
/** A document client on the same store the API uses (for arranging data and checking invariants). */
export function storeClient(): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(localClient(other?.storeEndpoint ?? inject('storeEndpoint')), { marshallOptions: { removeUndefinedValues: true } });
  return doc;
}

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call to the API, JSON in and out. `body` may be a raw string to send malformed JSON. */
export async function http<T = any>(
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<HttpResponse<T>> {
  const res = await fetch(`${apiUrl()}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* leave as text */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/**
 * Creates a staff account directly in the store and logs in through POST /auth/staff.
 * Returns the session token.
 */
export async function staffLogin(s: { id: string; role: string; regionId: string; institutionId?: string; teamId?: string; name?: string }): Promise<string> {
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const { hashPassword } = await import('../functions/src/lib/password');
  await storeClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.staff(s.id), type: 'staff', name: s.name ?? '测试医生', ...s, passwordHash: hashPassword('test-password') },
    }),
  );
  const r = await http('POST', '/auth/staff', { body: { username: s.id, password: 'test-password' } });
  if (r.status !== 200) throw new Error(`staff login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/**
 * Runs `fn` over `items` with at most `limit` in flight (all requests still overlap): the local
 * API server (serverless-offline) starts one worker thread per in-flight request and stalls with
 * hundreds at once on a 2-core machine.
 */
export async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
