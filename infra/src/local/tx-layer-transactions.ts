/**
 * TransactWriteItems and TransactGetItems on top of dynalite's single-item operations.
 *
 * Both run while the layer holds its lock in exclusive mode, so nothing else touches the store
 * between the snapshot, the writes and a possible rollback (see docs/local-transactions.md).
 *
 * The write algorithm reuses dynalite's own condition and update-expression engine:
 *  1. validate the request and resolve every action's key (one item at most once);
 *  2. snapshot every target item (GetItem, ConsistentRead);
 *  3. apply every action with its ConditionExpression (Put→PutItem, Update→UpdateItem,
 *     Delete→DeleteItem, ConditionCheck→ a no-op conditional write: PutItem(snapshot) when the
 *     item exists, DeleteItem(key) when it does not);
 *  4. if any action failed, restore the snapshots of the applied ones and answer
 *     TransactionCanceledException with one CancellationReason per action in request order.
 *
 * Because no two actions may target the same item, evaluating every condition against the state
 * "after the other actions" is the same as evaluating it against the state before the
 * transaction, so step 3 may run the actions concurrently and every failing condition is
 * reported, as DynamoDB does.
 */
import {
  DynamoError,
  canonicalJson,
  isRecord,
  type CancellationReason,
  type Item,
  type Upstream,
} from './tx-layer-protocol';
import { checkKey, itemIdentity, keyOfItem, type KeySchema, type SchemaCache } from './tx-layer-schema';

/** DynamoDB's limit on actions per transaction (raised from 25 to 100 in 2022). */
export const MAX_TRANSACTION_ITEMS = 100;
/** ClientRequestToken idempotency window. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
const WRITE_KINDS: readonly WriteKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

interface WriteAction {
  kind: WriteKind;
  table: string;
  key: Item;
  /** Put only. */
  item?: Item;
  /** Update only. */
  updateExpression?: string;
  condition?: string;
  names?: Record<string, string>;
  values?: Item;
  returnOldOnFailure: boolean;
}

interface ReadAction {
  table: string;
  key: Item;
  projection?: string;
  names?: Record<string, string>;
}

/**
 * Messages dynalite raises only after reading the item, i.e. errors that depend on the data.
 * DynamoDB reports those inside a transaction as a `ValidationError` cancellation reason rather
 * than failing the whole request with a ValidationException.
 */
const DATA_DEPENDENT_MESSAGES = [
  'Item size to update has exceeded the maximum allowed size',
  'Type mismatch for attribute to update',
  'The provided expression refers to an attribute that does not exist in the item',
  'An operand in the update expression has an incorrect data type',
  'The document path provided in the update expression is invalid for update',
  'The update expression attempted to update the secondary index key to unsupported type',
];

type Outcome = { ok: true } | { ok: false; error: DynamoError };

interface CachedSuccess {
  fingerprint: string;
  response: Record<string, unknown>;
  expiresAt: number;
}

export class TransactionEngine {
  private readonly tokens = new Map<string, CachedSuccess>();

  constructor(
    private readonly upstream: Upstream,
    private readonly schemas: SchemaCache,
    private readonly now: () => number,
  ) {}

  /**
   * Validation that needs no lock (shape, limits, keys, duplicates). Returns a function that
   * executes the transaction; the caller runs it while holding the exclusive lock.
   */
  async prepareWrite(body: Record<string, unknown>): Promise<() => Promise<Record<string, unknown>>> {
    const entries = checkItemList(body.TransactItems);
    const token = body.ClientRequestToken;
    if (token !== undefined && (typeof token !== 'string' || token.length < 1 || token.length > 36)) {
      throw DynamoError.validation(
        "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36",
      );
    }
    const actions = entries.map(parseWriteAction);
    const schemas = await Promise.all(actions.map((a) => this.schemas.get(a.table)));
    const seen = new Set<string>();
    actions.forEach((action, i) => {
      const schema = schemas[i] as KeySchema;
      action.key = action.kind === 'Put' ? keyOfItem(schema, action.item as Item) : checkKey(schema, action.key);
      const id = itemIdentity(schema, action.key);
      if (seen.has(id)) throw DynamoError.validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    });

    const { ClientRequestToken: _token, ...rest } = body;
    const fingerprint = canonicalJson(rest);

    return async () => {
      if (typeof token === 'string') {
        const cached = this.cachedResponse(token, fingerprint);
        if (cached) return cached;
      }
      const response = await this.executeWrite(actions);
      if (typeof token === 'string') {
        this.tokens.set(token, { fingerprint, response, expiresAt: this.now() + IDEMPOTENCY_WINDOW_MS });
      }
      return response;
    };
  }

  /** Same split as prepareWrite: validation first, then a function to run under the lock. */
  async prepareGet(body: Record<string, unknown>): Promise<() => Promise<Record<string, unknown>>> {
    const entries = checkItemList(body.TransactItems);
    const reads = entries.map(parseReadAction);
    const schemas = await Promise.all(reads.map((r) => this.schemas.get(r.table)));
    const seen = new Set<string>();
    reads.forEach((read, i) => {
      const schema = schemas[i] as KeySchema;
      checkKey(schema, read.key);
      const id = itemIdentity(schema, read.key);
      if (seen.has(id)) throw DynamoError.validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    });
    return async () => {
      const items = await Promise.all(
        reads.map((r) =>
          this.upstream.call<{ Item?: Item }>('GetItem', {
            TableName: r.table,
            Key: r.key,
            ConsistentRead: true,
            ...(r.projection !== undefined ? { ProjectionExpression: r.projection } : {}),
            ...(r.names !== undefined ? { ExpressionAttributeNames: r.names } : {}),
          }),
        ),
      );
      return { Responses: items.map((out) => (out.Item ? { Item: out.Item } : {})) };
    };
  }

  private cachedResponse(token: string, fingerprint: string): Record<string, unknown> | undefined {
    const now = this.now();
    for (const [t, entry] of this.tokens) {
      if (entry.expiresAt <= now) this.tokens.delete(t);
    }
    const hit = this.tokens.get(token);
    if (!hit) return undefined;
    if (hit.fingerprint !== fingerprint) throw DynamoError.idempotentMismatch();
    return hit.response;
  }

  private async executeWrite(actions: WriteAction[]): Promise<Record<string, unknown>> {
    const snapshots = await Promise.all(
      actions.map(async (a) => {
        const out = await this.upstream.call<{ Item?: Item }>('GetItem', { TableName: a.table, Key: a.key, ConsistentRead: true });
        return out.Item;
      }),
    );

    const outcomes: Outcome[] = await Promise.all(
      actions.map(async (a, i): Promise<Outcome> => {
        try {
          await this.apply(a, snapshots[i]);
          return { ok: true };
        } catch (err) {
          return { ok: false, error: asDynamoError(err) };
        }
      }),
    );

    if (outcomes.every((o) => o.ok)) return {};

    await this.rollback(actions, snapshots, outcomes);

    // A request-level error (malformed expression, unused placeholder, missing table, ...) fails
    // the whole request, as DynamoDB rejects such requests before evaluating any condition.
    for (const o of outcomes) {
      if (!o.ok && !isCancellation(o.error)) throw o.error;
    }

    const reasons = outcomes.map((o, i): CancellationReason => {
      if (o.ok) return { Code: 'None' };
      if (o.error.code === 'ConditionalCheckFailedException') {
        const snapshot = snapshots[i];
        return {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(actions[i]?.returnOldOnFailure && snapshot ? { Item: snapshot } : {}),
        };
      }
      return { Code: 'ValidationError', Message: o.error.message };
    });
    throw DynamoError.transactionCanceled(reasons);
  }

  private async apply(a: WriteAction, snapshot: Item | undefined): Promise<void> {
    const expr = {
      ...(a.condition !== undefined ? { ConditionExpression: a.condition } : {}),
      ...(a.names !== undefined ? { ExpressionAttributeNames: a.names } : {}),
      ...(a.values !== undefined ? { ExpressionAttributeValues: a.values } : {}),
    };
    switch (a.kind) {
      case 'Put':
        await this.upstream.call('PutItem', { TableName: a.table, Item: a.item, ...expr });
        return;
      case 'Update':
        await this.upstream.call('UpdateItem', { TableName: a.table, Key: a.key, UpdateExpression: a.updateExpression, ...expr });
        return;
      case 'Delete':
        await this.upstream.call('DeleteItem', { TableName: a.table, Key: a.key, ...expr });
        return;
      case 'ConditionCheck':
        // A write that leaves the item as it is but makes dynalite evaluate the condition.
        if (snapshot) await this.upstream.call('PutItem', { TableName: a.table, Item: snapshot, ...expr });
        else await this.upstream.call('DeleteItem', { TableName: a.table, Key: a.key, ...expr });
        return;
    }
  }

  /** Restores the items of the actions that were applied, in reverse request order. */
  private async rollback(actions: WriteAction[], snapshots: (Item | undefined)[], outcomes: Outcome[]): Promise<void> {
    for (let i = actions.length - 1; i >= 0; i -= 1) {
      const a = actions[i] as WriteAction;
      if (!outcomes[i]?.ok || a.kind === 'ConditionCheck') continue;
      const snapshot = snapshots[i];
      try {
        if (snapshot) await this.upstream.call('PutItem', { TableName: a.table, Item: snapshot });
        else await this.upstream.call('DeleteItem', { TableName: a.table, Key: a.key });
      } catch (err) {
        // Cannot happen short of dynalite failing; the store may now be inconsistent.
        console.error('[tx-layer] rollback failed for', a.table, JSON.stringify(a.key), err);
        throw DynamoError.internal('Transaction rollback failed; the local store may be inconsistent');
      }
    }
  }
}

function asDynamoError(err: unknown): DynamoError {
  if (err instanceof DynamoError) return err;
  return DynamoError.internal(err instanceof Error ? err.message : String(err));
}

/** Errors that cancel the transaction (reported per action) rather than fail the request. */
function isCancellation(err: DynamoError): boolean {
  if (err.code === 'ConditionalCheckFailedException') return true;
  return err.code === 'ValidationException' && DATA_DEPENDENT_MESSAGES.some((m) => err.message.startsWith(m));
}

function checkItemList(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) {
    throw DynamoError.validation(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(value)) throw DynamoError.serialization();
  if (value.length < 1) {
    throw DynamoError.validation(
      "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (value.length > MAX_TRANSACTION_ITEMS) {
    throw DynamoError.validation(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION_ITEMS}`,
    );
  }
  return value.map((entry) => {
    if (!isRecord(entry)) throw DynamoError.serialization();
    return entry;
  });
}

function requireString(obj: Record<string, unknown>, field: string, path: string): string {
  const v = obj[field];
  if (typeof v !== 'string' || v.length === 0) {
    throw DynamoError.validation(
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

function requireMap(obj: Record<string, unknown>, field: string, path: string): Item {
  const v = obj[field];
  if (!isRecord(v)) {
    throw DynamoError.validation(
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v as Item;
}

function optionalString(obj: Record<string, unknown>, field: string): string | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw DynamoError.serialization();
  return v;
}

function optionalMap<T>(obj: Record<string, unknown>, field: string): T | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw DynamoError.serialization();
  return v as T;
}

function parseWriteAction(entry: Record<string, unknown>, index: number): WriteAction {
  const present = WRITE_KINDS.filter((k) => entry[k] !== undefined && entry[k] !== null);
  if (present.length !== 1) {
    throw DynamoError.validation('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  const kind = present[0] as WriteKind;
  const spec = entry[kind];
  if (!isRecord(spec)) throw DynamoError.serialization();
  const base = `transactItems.${index + 1}.member.${kind === 'ConditionCheck' ? 'conditionCheck' : kind.toLowerCase()}`;
  const table = requireString(spec, 'TableName', `${base}.tableName`);
  const returnValues = optionalString(spec, 'ReturnValuesOnConditionCheckFailure');
  if (returnValues !== undefined && returnValues !== 'ALL_OLD' && returnValues !== 'NONE') {
    throw DynamoError.validation(
      `1 validation error detected: Value '${returnValues}' at '${base}.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
    );
  }
  const action: WriteAction = {
    kind,
    table,
    key: {},
    condition: optionalString(spec, 'ConditionExpression'),
    names: optionalMap<Record<string, string>>(spec, 'ExpressionAttributeNames'),
    values: optionalMap<Item>(spec, 'ExpressionAttributeValues'),
    returnOldOnFailure: returnValues === 'ALL_OLD',
  };
  switch (kind) {
    case 'Put':
      action.item = requireMap(spec, 'Item', `${base}.item`);
      break;
    case 'Update':
      action.key = requireMap(spec, 'Key', `${base}.key`);
      action.updateExpression = requireString(spec, 'UpdateExpression', `${base}.updateExpression`);
      break;
    case 'Delete':
      action.key = requireMap(spec, 'Key', `${base}.key`);
      break;
    case 'ConditionCheck':
      action.key = requireMap(spec, 'Key', `${base}.key`);
      requireString(spec, 'ConditionExpression', `${base}.conditionExpression`);
      break;
  }
  return action;
}

function parseReadAction(entry: Record<string, unknown>, index: number): ReadAction {
  const spec = entry.Get;
  if (!isRecord(spec)) {
    throw DynamoError.validation(
      `1 validation error detected: Value null at 'transactItems.${index + 1}.member.get' failed to satisfy constraint: Member must not be null`,
    );
  }
  const base = `transactItems.${index + 1}.member.get`;
  return {
    table: requireString(spec, 'TableName', `${base}.tableName`),
    key: requireMap(spec, 'Key', `${base}.key`),
    projection: optionalString(spec, 'ProjectionExpression'),
    names: optionalMap<Record<string, string>>(spec, 'ExpressionAttributeNames'),
  };
}
