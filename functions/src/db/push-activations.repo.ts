/**
 * Recent activations, for the health-push catch-up (docs/push-at-scale.md "Catch-up"):
 *
 *   PUSHACT#<agreementId> / AT#<at>          one marker per activation, Put in the activation's
 *     gsi3 PUSH#ACTIVATED#<shard> / <at>#<id>  own TransactWriteItems (so it exists iff the
 *                                            agreement became active), TTL 14 days
 *   PUSHACT#SWEEP / WATERMARK                how far the sweep has read (an instant)
 *
 * The sweep reads the 16 shard partitions of gsi3 from its watermark to now: a few tiny Queries
 * every two minutes, whatever the number of residents — no scan, no stream.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { decodeCursor, encodeCursor, type AgreementRecord, type Page } from './agreements.repo';
import type { TxItem } from './transact';

const MARKER_TTL_SECONDS = 14 * 24 * 60 * 60;

export interface ActivationMarker {
  agreementId: string;
  regionId: string;
  shard: number;
  at: string;
}

/**
 * The markers for the agreements a transaction moves into `active` (from no agreement or from
 * another status). Included in every such TransactWriteItems next to the report counters.
 */
export function activationMarkers(changes: { before?: AgreementRecord; after: AgreementRecord }[], at: string): TxItem[] {
  return changes
    .filter((c) => c.after.status === 'active' && c.before?.status !== 'active')
    .map((c) => ({
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.pushActivation(c.after.id, at),
          ...keys.pushActivationByTime(c.after.shard, at, c.after.id),
          type: 'push-activation',
          agreementId: c.after.id,
          regionId: c.after.regionId,
          shard: c.after.shard,
          at,
          expiresAt: Math.floor(Date.parse(at) / 1000) + MARKER_TTL_SECONDS,
        },
      },
    }));
}

/** One page of a shard's activations with `from <= at <= to` (ISO instants), oldest first. */
export async function listActivationsPage(opts: { shard: number; from: string; to: string; cursor?: string; limit?: number }): Promise<Page<ActivationMarker>> {
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.pushActivationByTime(opts.shard, '', '').gsi3pk, ':from': opts.from, ':to': `${opts.to}#~` },
      Limit: opts.limit ?? 100,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  const items = (r.Items ?? []).map((i) => ({ agreementId: String(i.agreementId), regionId: String(i.regionId), shard: Number(i.shard), at: String(i.at) }));
  return { items, cursor: encodeCursor(r.LastEvaluatedKey) };
}

export async function getCatchUpWatermark(): Promise<string | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pushCatchUpWatermark(), ConsistentRead: true }));
  return typeof r.Item?.until === 'string' ? r.Item.until : undefined;
}

export async function putCatchUpWatermark(until: string, at: string): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.pushCatchUpWatermark(), type: 'push-catchup-watermark', until, at } }));
}
