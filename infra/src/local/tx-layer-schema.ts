/**
 * Key schemas of the tables behind the layer, read once from dynalite's DescribeTable.
 * A table's key schema cannot change, so a cache entry only goes stale when the table is
 * deleted (and perhaps re-created); the layer invalidates it on CreateTable/DeleteTable.
 */
import { DynamoError, canonicalJson, type Item, type Upstream } from './tx-layer-protocol';

export interface KeySchema {
  table: string;
  /** Partition key attribute name. */
  hash: string;
  /** Sort key attribute name, if the table has one. */
  range?: string;
}

interface DescribeTableOutput {
  Table?: { KeySchema?: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[] };
}

export class SchemaCache {
  private readonly cache = new Map<string, Promise<KeySchema>>();

  constructor(private readonly upstream: Upstream) {}

  /** Rejects with dynalite's own ResourceNotFoundException when the table does not exist. */
  get(table: string): Promise<KeySchema> {
    let entry = this.cache.get(table);
    if (!entry) {
      entry = this.load(table);
      this.cache.set(table, entry);
      // Never cache a failure: the table may be created a moment later.
      entry.catch(() => {
        if (this.cache.get(table) === entry) this.cache.delete(table);
      });
    }
    return entry;
  }

  invalidate(table: string): void {
    this.cache.delete(table);
  }

  private async load(table: string): Promise<KeySchema> {
    const out = await this.upstream.call<DescribeTableOutput>('DescribeTable', { TableName: table });
    const keySchema = out.Table?.KeySchema ?? [];
    const hash = keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const range = keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    if (!hash) throw DynamoError.internal(`DescribeTable(${table}) returned no HASH key`);
    return range ? { table, hash, range } : { table, hash };
  }
}

export function keyNames(schema: KeySchema): string[] {
  return schema.range ? [schema.hash, schema.range] : [schema.hash];
}

/** The primary key of a full item (PutItem's `Item`), validated like DynamoDB does. */
export function keyOfItem(schema: KeySchema, item: Item): Item {
  const key: Item = {};
  for (const name of keyNames(schema)) {
    const value = item[name];
    if (value === undefined) {
      throw DynamoError.validation(`One or more parameter values were invalid: Missing the key ${name} in the item`);
    }
    key[name] = value;
  }
  return key;
}

/** Checks that `key` names exactly the table's key attributes. */
export function checkKey(schema: KeySchema, key: Item): Item {
  const names = keyNames(schema);
  const given = Object.keys(key);
  if (given.length !== names.length || names.some((n) => key[n] === undefined)) {
    throw DynamoError.validation('The provided key element does not match the schema');
  }
  return key;
}

/** A string that identifies one item across tables, for the "one item once" rule. */
export function itemIdentity(schema: KeySchema, key: Item): string {
  return `${schema.table}\u0000${keyNames(schema)
    .map((n) => {
      const value = key[n];
      return typeof value?.N === 'string' ? `N:${canonicalNumber(value.N)}` : canonicalJson(value);
    })
    .join('\u0000')}`;
}

/**
 * DynamoDB compares numbers by value: "1", "1.0" and "10e-1" are the same key. Exact (no
 * floating point): significant digits with leading/trailing zeros stripped, plus an exponent.
 */
export function canonicalNumber(text: string): string {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m) return text;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  let digits = int + frac;
  let exponent = Number(exp) - frac.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${sign === '-' ? '-' : ''}${digits}e${exponent}`;
}
