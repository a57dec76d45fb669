/**
 * Time to Live for the local store: UpdateTimeToLive / DescribeTimeToLive and a sweeper.
 *
 * DynamoDB deletes expired items lazily ("typically within a few days"; expired items still
 * show up in reads until then), so application code must already filter on the TTL attribute.
 * The sweeper here deletes them every few seconds, which is well within that contract.
 *
 * Eligibility follows the developer guide ("Using DynamoDB Time to Live"): the attribute must
 * be a top-level Number holding epoch seconds that lie in the past, but not more than five years
 * in the past. Values in milliseconds therefore look like far-future times and never expire,
 * exactly as on AWS.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DynamoError, isRecord, type Item, type Upstream } from './tx-layer-protocol';
import { keyNames, type SchemaCache } from './tx-layer-schema';

const FIVE_YEARS_S = (5 * 365 + 1) * 24 * 60 * 60;

type LockRunner = <T>(fn: () => Promise<T>) => Promise<T>;

export class TtlManager {
  /** Table name → TTL attribute name, for tables with TTL enabled. */
  private readonly enabled = new Map<string, string>();

  constructor(
    private readonly upstream: Upstream,
    private readonly schemas: SchemaCache,
    private readonly now: () => number,
    /** JSON file that persists the settings (next to the LevelDB files); none => in memory. */
    private readonly file?: string,
  ) {}

  async load(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return; // first start
    }
    const data: unknown = JSON.parse(text);
    if (!isRecord(data)) return;
    for (const [table, attr] of Object.entries(data)) {
      if (typeof attr === 'string') this.enabled.set(table, attr);
    }
  }

  async describe(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const table = tableNameOf(body);
    await this.schemas.get(table); // ResourceNotFoundException for a missing table
    const attr = this.enabled.get(table);
    return {
      TimeToLiveDescription: attr ? { TimeToLiveStatus: 'ENABLED', AttributeName: attr } : { TimeToLiveStatus: 'DISABLED' },
    };
  }

  async update(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const table = tableNameOf(body);
    const spec = body.TimeToLiveSpecification;
    if (!isRecord(spec)) {
      throw DynamoError.validation(
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
      );
    }
    const { Enabled: enabledFlag, AttributeName: attr } = spec;
    if (typeof enabledFlag !== 'boolean') {
      throw DynamoError.validation(
        "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null",
      );
    }
    if (typeof attr !== 'string' || attr.length < 1 || attr.length > 255) {
      throw DynamoError.validation(
        "1 validation error detected: Value at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255",
      );
    }
    await this.schemas.get(table);
    const current = this.enabled.get(table);
    if (enabledFlag) {
      if (current !== undefined) throw DynamoError.validation('TimeToLive is already enabled');
      this.enabled.set(table, attr);
    } else {
      if (current === undefined) throw DynamoError.validation('TimeToLive is already disabled');
      if (current !== attr) {
        throw DynamoError.validation(`TimeToLive is active on a different AttributeName: current AttributeName is ${current}`);
      }
      this.enabled.delete(table);
    }
    await this.save();
    return { TimeToLiveSpecification: { Enabled: enabledFlag, AttributeName: attr } };
  }

  /** Called when a table is created or deleted through the layer: a new table starts disabled. */
  async forget(table: string): Promise<void> {
    if (this.enabled.delete(table)) await this.save();
  }

  /**
   * Deletes every eligible expired item once. Each page of the scan and its deletes run under
   * `withLock` (shared mode): single-item deletes never interleave with a transaction. Deletes
   * are conditional on the item still being expired, so an item refreshed meanwhile survives.
   * Returns the number of items deleted.
   */
  async sweep(withLock: LockRunner): Promise<number> {
    let deleted = 0;
    for (const [table, attr] of [...this.enabled]) {
      try {
        deleted += await this.sweepTable(table, attr, withLock);
      } catch (err) {
        if (err instanceof DynamoError && err.code === 'ResourceNotFoundException') {
          await this.forget(table);
          continue;
        }
        throw err;
      }
    }
    return deleted;
  }

  private async sweepTable(table: string, attr: string, withLock: LockRunner): Promise<number> {
    const schema = await this.schemas.get(table);
    const keys = keyNames(schema);
    const nowS = Math.floor(this.now() / 1000);
    const names: Record<string, string> = { '#ttl': attr };
    keys.forEach((k, i) => (names[`#k${i}`] = k));
    let deleted = 0;
    let startKey: Item | undefined;
    do {
      const page: Item | undefined = await withLock(async () => {
        const out = await this.upstream.call<{ Items?: Item[]; LastEvaluatedKey?: Item }>('Scan', {
          TableName: table,
          ConsistentRead: true,
          FilterExpression: '#ttl < :now AND #ttl >= :floor',
          ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':now': { N: String(nowS) }, ':floor': { N: String(nowS - FIVE_YEARS_S) } },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        });
        for (const key of out.Items ?? []) {
          try {
            await this.upstream.call('DeleteItem', {
              TableName: table,
              Key: key,
              ConditionExpression: '#ttl < :now',
              ExpressionAttributeNames: { '#ttl': attr },
              ExpressionAttributeValues: { ':now': { N: String(nowS) } },
            });
            deleted += 1;
          } catch (err) {
            if (!(err instanceof DynamoError && err.code === 'ConditionalCheckFailedException')) throw err;
          }
        }
        return out.LastEvaluatedKey;
      });
      startKey = page;
    } while (startKey);
    return deleted;
  }

  private async save(): Promise<void> {
    if (!this.file) return;
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(Object.fromEntries(this.enabled), null, 2));
    await rename(tmp, this.file);
  }
}

function tableNameOf(body: Record<string, unknown>): string {
  const table = body.TableName;
  if (typeof table !== 'string' || table.length === 0) {
    throw DynamoError.validation(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  }
  return table;
}
