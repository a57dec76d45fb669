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
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AgreementWrite } from '@jiayi/shared/domain/agreements/writes';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryAll } from './query';
import type { TxItem } from './transact';

const MARKER_TTL_SECONDS = 14 * 24 * 60 * 60;

export interface ActivationMarker {
  agreementId: string;
  regionId: string;
  shard: number;
  at: string;
}

/**
 * The Put of an activation marker: the `pushActivation:<agreementId>` item of every plan that
 * moves an agreement into `active` (statusEffects in shared/src/domain/agreements/writes.ts),
 * translated by agreements.tx.ts into that plan's own TransactWriteItems.
 */
export function activationMarkerPut(m: Extract<AgreementWrite, { op: 'pushActivation' }>): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.pushActivation(m.agreementId, m.at),
        ...keys.pushActivationByTime(m.shard, m.at, m.agreementId),
        type: 'push-activation',
        agreementId: m.agreementId,
        regionId: m.regionId,
        shard: m.shard,
        at: m.at,
        expiresAt: Math.floor(Date.parse(m.at) / 1000) + MARKER_TTL_SECONDS,
      },
    },
  };
}

/** Every activation of a shard with `from <= at <= to` (ISO instants), oldest first. */
export async function listActivations(opts: { shard: number; from: string; to: string }): Promise<ActivationMarker[]> {
  const items = await queryAll({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :p AND gsi3sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':p': keys.pushActivationByTime(opts.shard, '', '').gsi3pk, ':from': opts.from, ':to': `${opts.to}#~` },
  });
  return items.map((i) => ({ agreementId: String(i.agreementId), regionId: String(i.regionId), shard: Number(i.shard), at: String(i.at) }));
}

export async function getCatchUpWatermark(): Promise<string | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pushCatchUpWatermark(), ConsistentRead: true }));
  return typeof r.Item?.until === 'string' ? r.Item.until : undefined;
}

export async function putCatchUpWatermark(until: string, at: string): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.pushCatchUpWatermark(), type: 'push-catchup-watermark', until, at } }));
}
