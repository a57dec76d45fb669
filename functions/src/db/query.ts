/**
 * Every paginated Query goes through here: DynamoDB answers at most 1 MB (or `Limit` items) per
 * call, so a read that must see all items follows LastEvaluatedKey. The one place that loop is
 * written: `queryPages` streams pages, `queryItems` streams items (stop early by leaving the loop),
 * `queryAll` collects them, `queryFrom` / `queryPage` answer one page (behind an opaque cursor
 * for the API).
 */
import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '@jiayi/shared/domain/errors';
import { db, tableName } from './client';

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;
type Item = Record<string, unknown>;

/** Pages of a Query, following LastEvaluatedKey from `start` to the end (or until the caller stops). */
export async function* queryPages(input: QueryInput, start?: Item): AsyncGenerator<QueryCommandOutput> {
  let key = start;
  do {
    const page = await db().send(new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: key }));
    yield page;
    key = page.LastEvaluatedKey;
  } while (key);
}

/** The items of a Query one by one, every page read as it is needed. */
export async function* queryItems(input: QueryInput): AsyncGenerator<Item> {
  for await (const page of queryPages(input)) yield* page.Items ?? [];
}

/** Every item of a Query. */
export async function queryAll(input: QueryInput): Promise<Item[]> {
  const out: Item[] = [];
  for await (const page of queryPages(input)) out.push(...(page.Items ?? []));
  return out;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  cursor?: string;
}

export function encodeCursor(key: Item | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined, path = 'cursor'): Item | undefined {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw new Error('shape');
    return v as Item;
  } catch {
    throw new ValidationError({ path, message: '分页参数有误，请从第一页重新查询' });
  }
}

/** One page of a Query from the key `start` (undefined: the first page), with the key to continue from. */
export async function queryFrom(input: QueryInput, start: Item | undefined): Promise<{ items: Item[]; next?: Item }> {
  const first = await queryPages(input, start).next();
  const page = first.done ? undefined : first.value;
  return { items: page?.Items ?? [], ...(page?.LastEvaluatedKey && { next: page.LastEvaluatedKey }) };
}

/** One page of a Query after `cursor` (an encodeCursor of the last key), mapped by `of`. */
export async function queryPage<T>(input: QueryInput, cursor: string | undefined, of: (item: Item) => T): Promise<Page<T>> {
  const page = await queryFrom(input, decodeCursor(cursor));
  return { items: page.items.map(of), cursor: encodeCursor(page.next) };
}
