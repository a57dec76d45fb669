/**
 * Health-knowledge push state (issue 7, docs/table-design.md "Health-knowledge push"):
 *
 *   PUSH#<quarter>#<memberKey> / PUSH      the delivery record: exactly one per (resident, quarter),
 *                                          Put with attribute_not_exists in the SAME transaction
 *                                          as the inbox message, the history and the counters
 *   PUSHHIST#<memberKey> / PUSHHIST        tips received (oldest first) and quarters covered
 *   PUSHSTAT#<region>#<quarter>#<shard>    counters, one partition per agreement-index shard:
 *      TEAM#<teamId>                       deliveries by channel, failures by reason (sender)
 *      RUN#<runId>#TEAM#<teamId>           what one planner run saw (planner) + what it delivered (sender)
 *   PUSHSTAT#<region>#<quarter> / LATEST   the latest completed planner run
 *   PUSHCFG#REGION|INST#<id> / PUSHCFG     tip template id, long-term flag, SMS template
 *
 * memberKey is the member's idHash (the sign-lock key): one person, one tip per quarter, even
 * if they move to another household mid-quarter.
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PushChannel } from '@jiayi/shared/domain/push/channel';
import { environment } from '../lib/config';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryAll } from './query';
import type { TxItem } from './transact';
import { ACTIVE_SHARDS } from './agreements.repo';
import { now } from '../lib/clock';

export type ExternalStatus = 'none' | 'pending' | 'sending' | 'sent' | 'failed';

export interface DeliveryRecord {
  quarter: string;
  memberKey: string;
  accountId: string;
  memberId: string;
  memberName: string;
  agreementId: string;
  regionId: string;
  institutionId: string;
  teamId: string;
  shard: number;
  tipId: string;
  repeat: boolean;
  messageId: string;
  /** The planner run that enqueued the delivered job, and every run that later found it covered. */
  runId: string;
  runIds: string[];
  channel: PushChannel;
  templateId?: string;
  creditSpent: boolean;
  externalStatus: ExternalStatus;
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface PushHistoryRecord {
  tipIds: string[];
  quarters: string[];
}

export function deliveryFromItem(i: Record<string, unknown>): DeliveryRecord {
  const { pk: _pk, sk: _sk, type: _t, runIds, ...rest } = i;
  return { ...(rest as unknown as DeliveryRecord), runIds: runIds instanceof Set ? [...(runIds as Set<string>)] : ((runIds as string[]) ?? []) };
}

export async function getDelivery(quarter: string, memberKey: string): Promise<DeliveryRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pushDelivery(quarter, memberKey), ConsistentRead: true }));
  return r.Item ? deliveryFromItem(r.Item) : undefined;
}

export function deliveryPut(d: DeliveryRecord): TxItem {
  const { runIds, ...rest } = d;
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.pushDelivery(d.quarter, d.memberKey), type: 'push-delivery', ...rest, runIds: new Set(runIds) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function historyAppend(memberKey: string, tipId: string, quarter: string): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.pushHistory(memberKey),
      UpdateExpression: 'SET tipIds = list_append(if_not_exists(tipIds, :empty), :tip), quarters = list_append(if_not_exists(quarters, :empty), :q), #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':empty': [], ':tip': [tipId], ':q': [quarter], ':type': 'push-history' },
    },
  };
}

/** Histories of many residents (BatchGetItem, 100 keys per call, unprocessed keys retried). */
export async function getHistories(memberKeys: string[]): Promise<Map<string, PushHistoryRecord>> {
  const out = new Map<string, PushHistoryRecord>();
  const unique = [...new Set(memberKeys)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [tableName()]: { Keys: unique.slice(i, i + 100).map((k) => keys.pushHistory(k)) },
    };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const r = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const item of r.Responses?.[tableName()] ?? []) {
        out.set(String(item.pk).slice('PUSHHIST#'.length), { tipIds: (item.tipIds as string[]) ?? [], quarters: (item.quarters as string[]) ?? [] });
      }
      request = r.UnprocessedKeys as typeof request;
    }
  }
  return out;
}

// ------------------------------------------------------------------ counters

interface StatScope {
  regionId: string;
  quarter: string;
  shard: number;
  teamId: string;
  institutionId: string;
}

function addExpression(counts: Record<string, number>, scope: StatScope, extraType: string) {
  const names: Record<string, string> = { '#type': 'type' };
  const values: Record<string, unknown> = {
    ':type': extraType,
    ':r': scope.regionId,
    ':q': scope.quarter,
    ':t': scope.teamId,
    ':i': scope.institutionId,
  };
  const adds: string[] = [];
  Object.entries(counts).forEach(([k, v], n) => {
    names[`#c${n}`] = k;
    values[`:c${n}`] = v;
    adds.push(`#c${n} :c${n}`);
  });
  return {
    UpdateExpression: `ADD ${adds.join(', ')} SET #type = :type, regionId = :r, quarter = :q, teamId = :t, institutionId = :i`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Quarter counters of a team (sender): `covered`, `inbox`, `sent_<channel>`, `failed_<channel>`, `fail:<channel>:<reason>`. */
export function teamStatAdd(scope: StatScope, counts: Record<string, number>): TxItem {
  return { Update: { TableName: tableName(), Key: keys.pushStatTeam(scope.regionId, scope.quarter, scope.shard, scope.teamId), ...addExpression(counts, scope, 'push-stat') } };
}

/** Counters of one planner run for a team: `signed`, `alreadyCovered`, `enqueued`, `noTip` (planner), `delivered` (sender). */
export function runStatAdd(scope: StatScope, runId: string, counts: Record<string, number>): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.pushStatRun(scope.regionId, scope.quarter, scope.shard, runId, scope.teamId),
      ...addExpression(counts, scope, 'push-run-stat'),
    },
  };
}

export async function addRunStats(scope: StatScope, runId: string, counts: Record<string, number>): Promise<void> {
  const u = runStatAdd(scope, runId, counts).Update!;
  await db().send(new UpdateCommand(u as ConstructorParameters<typeof UpdateCommand>[0]));
}

/** Marks a run the latest of its (region, quarter); `audit` = the closing count after the quarter ended. */
export async function completeRun(regionId: string, quarter: string, runId: string, at: string, totals: Record<string, number>, mode: 'plan' | 'audit' = 'plan'): Promise<void> {
  await db().send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.pushLatestRun(regionId, quarter), type: 'push-latest-run', regionId, quarter, runId, at, mode, ...totals } }),
  );
}

export interface StatItem {
  teamId: string;
  institutionId: string;
  counts: Record<string, number>;
}

export interface QuarterStats {
  latest: { runId: string; at: string; mode: 'plan' | 'audit' } | null;
  teams: StatItem[];
  run: StatItem[];
}

function statItems(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
  return queryAll({ KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': pk, ':s': prefix } });
}

const META = new Set(['pk', 'sk', 'type', 'regionId', 'quarter', 'teamId', 'institutionId']);

function statItem(i: Record<string, unknown>): StatItem {
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(i)) if (!META.has(k) && typeof v === 'number') counts[k] = v;
  return { teamId: String(i.teamId), institutionId: String(i.institutionId), counts };
}

/** Every counter of a (region, quarter): 16 shard partitions × (team items + the latest run's items). No scan. */
export async function loadQuarterStats(regionId: string, quarter: string): Promise<QuarterStats> {
  const latestItem = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.pushLatestRun(regionId, quarter), ConsistentRead: true }))).Item;
  const latest = latestItem ? { runId: String(latestItem.runId), at: String(latestItem.at), mode: latestItem.mode === 'audit' ? ('audit' as const) : ('plan' as const) } : null;
  const shards = Array.from({ length: ACTIVE_SHARDS }, (_, s) => s);
  const parts = await Promise.all(
    shards.map(async (s) => {
      const pk = keys.pushStatTeam(regionId, quarter, s, '').pk;
      const [teams, run] = await Promise.all([statItems(pk, 'TEAM#'), latest ? statItems(pk, `RUN#${latest.runId}#TEAM#`) : Promise.resolve([])]);
      return { teams: teams.map(statItem), run: run.map(statItem) };
    }),
  );
  return { latest, teams: parts.flatMap((p) => p.teams), run: parts.flatMap((p) => p.run) };
}

// ------------------------------------------------------------------ channel configuration

export interface PushConfig {
  /** The subscribe-message template used for tips. */
  templateId: string;
  /** Long-term subscription (长期订阅, granted to public-service mini-programs): no credit consumed. */
  longTerm: boolean;
  /** SMS template name at the deployment's gateway. */
  smsTemplateCode: string;
}

export async function putPushConfig(scope: 'REGION' | 'INST', id: string, cfg: PushConfig): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.pushConfig(scope, id), type: 'push-config', scope, scopeId: id, ...cfg } }));
  cache.clear();
}

const cache = new Map<string, { at: number; value: PushConfig | null }>();
const CACHE_MS = 5 * 60_000;

async function readConfig(scope: 'REGION' | 'INST', id: string, nowMs: number): Promise<PushConfig | null> {
  const k = `${scope}#${id}`;
  const hit = cache.get(k);
  if (hit && nowMs - hit.at < CACHE_MS) return hit.value;
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pushConfig(scope, id) }));
  const value = r.Item ? { templateId: String(r.Item.templateId), longTerm: r.Item.longTerm === true, smsTemplateCode: String(r.Item.smsTemplateCode ?? 'HEALTH_TIP') } : null;
  cache.set(k, { at: nowMs, value });
  return value;
}

/**
 * The channel configuration for a resident of `institutionId` in `regionId`: the institution's
 * own, else the region's, else the deployment default (env PUSH_TIP_TEMPLATE_ID, one-time).
 */
export async function pushConfigFor(regionId: string, institutionId: string, env: NodeJS.ProcessEnv = environment(), nowMs = now().getTime()): Promise<PushConfig | null> {
  const own = (await readConfig('INST', institutionId, nowMs)) ?? (await readConfig('REGION', regionId, nowMs));
  if (own) return own;
  const templateId = env.PUSH_TIP_TEMPLATE_ID?.trim();
  return templateId ? { templateId, longTerm: env.PUSH_TIP_TEMPLATE_LONG_TERM === 'true', smsTemplateCode: env.PUSH_TIP_SMS_TEMPLATE?.trim() || 'HEALTH_TIP' } : null;
}

// ------------------------------------------------------------------ deliveries of residents (FHIR export)

/** Delivery records of (quarter, memberKey) pairs that exist (BatchGetItem, 100 keys per call, unprocessed keys retried). */
export async function getDeliveries(pairs: { quarter: string; memberKey: string }[]): Promise<DeliveryRecord[]> {
  const out: DeliveryRecord[] = [];
  const unique = [...new Map(pairs.map((p) => [`${p.quarter}#${p.memberKey}`, p])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [tableName()]: { Keys: unique.slice(i, i + 100).map((p) => keys.pushDelivery(p.quarter, p.memberKey)) },
    };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const r = await db().send(new BatchGetCommand({ RequestItems: request }));
      out.push(...(r.Responses?.[tableName()] ?? []).map(deliveryFromItem));
      request = r.UnprocessedKeys as typeof request;
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
