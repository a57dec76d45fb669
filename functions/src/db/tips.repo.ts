/**
 * The health-tip library (issue 7): `TIP#<id>` / `TIP`, listed per region (or `all`, the starter
 * library) and status on gsi1 `TIPS#<regionId>` / `<status>#<createdAt>#<id>`. Status moves
 * draft → approved → retired (or draft → retired) by conditional updates on the status read.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import type { Condition } from '@jiayi/shared/domain/person';
import type { PlanningTip, PushAgeGroup, TipCategory } from '@jiayi/shared/domain/push/targeting';
import type { TipStatus } from '@jiayi/shared/schemas/push';
import { ConflictError } from '@jiayi/shared/domain/errors';
import { db, tableName } from './client';
import { queryAll } from './query';
import { keys } from './keys';

/** The platform's starter library, used by every region. */
export const ALL_REGIONS = 'all';

export interface TipRecord {
  id: string;
  regionId: string;
  institutionId: string | null;
  title: string;
  /** Sanitised HTML of the safe subset (shared/src/domain/push/rich-text.ts). */
  bodyHtml: string;
  category: TipCategory;
  ageGroups: PushAgeGroup[];
  conditions: Condition[];
  packageCodes: string[];
  publishFrom: LocalDate;
  publishTo: LocalDate | null;
  status: TipStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  retiredBy: string | null;
  retiredAt: string | null;
  retireReason: string | null;
}

function item(t: TipRecord): Record<string, unknown> {
  return { ...keys.tip(t.id), ...keys.tipByRegion(t.regionId, t.status, t.createdAt, t.id), type: 'tip', ...t };
}

export function tipFromItem(i: Record<string, unknown>): TipRecord {
  const { pk: _pk, sk: _sk, type: _t, gsi1pk: _a, gsi1sk: _b, ...rest } = i;
  return rest as unknown as TipRecord;
}

/** Creates a tip (a new id never exists; the condition guards a replayed seed id). `overwrite` for idempotent seeding. */
export async function putTip(t: TipRecord, opts: { overwrite?: boolean } = {}): Promise<void> {
  await db().send(
    new PutCommand({ TableName: tableName(), Item: item(t), ...(opts.overwrite ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }) }),
  );
}

export async function getTip(id: string): Promise<TipRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.tip(id), ConsistentRead: true }));
  return r.Item ? tipFromItem(r.Item) : undefined;
}

/** Tips of a region (or ALL_REGIONS), optionally of one status, newest first. */
export async function listTips(regionId: string, status?: TipStatus): Promise<TipRecord[]> {
  const out: TipRecord[] = (
    await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: status ? 'gsi1pk = :p AND begins_with(gsi1sk, :s)' : 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.tipByRegion(regionId, '', '', '').gsi1pk, ...(status ? { ':s': `${status}#` } : {}) },
      ScanIndexForward: false,
    })
  ).map(tipFromItem);
  return out;
}

/** The approved tips a region's residents can get: the region's own plus the starter library. */
export async function approvedTipsFor(regionId: string): Promise<TipRecord[]> {
  const [own, all] = await Promise.all([listTips(regionId, 'approved'), regionId === ALL_REGIONS ? [] : listTips(ALL_REGIONS, 'approved')]);
  return [...own, ...all];
}

export function planningTip(t: TipRecord): PlanningTip {
  return {
    id: t.id,
    category: t.category,
    ageGroups: t.ageGroups,
    conditions: t.conditions,
    packageCodes: t.packageCodes,
    ...(t.institutionId ? { institutionId: t.institutionId } : {}),
    publishFrom: t.publishFrom,
    publishTo: t.publishTo,
  };
}

/** Replaces a draft's content (conditioned on it still being a draft). */
export async function updateDraft(t: TipRecord): Promise<void> {
  try {
    await db().send(
      new PutCommand({ TableName: tableName(), Item: item(t), ConditionExpression: '#s = :draft', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':draft': 'draft' } }),
    );
  } catch (e) {
    throw conflictOr(e, 'TIP_NOT_DRAFT', '只有草稿可以修改；已发布的知识请停用后重新编写');
  }
}

/** Moves a tip from one status to another; ConflictError when someone moved it first. */
export async function transitionTip(
  t: TipRecord,
  to: TipStatus,
  set: Partial<Pick<TipRecord, 'approvedBy' | 'approvedAt' | 'retiredBy' | 'retiredAt' | 'retireReason'>>,
  now: string,
): Promise<TipRecord> {
  const names: Record<string, string> = { '#s': 'status' };
  const values: Record<string, unknown> = { ':from': t.status, ':to': to, ':now': now, ':g': keys.tipByRegion(t.regionId, to, t.createdAt, t.id).gsi1sk };
  const sets = ['#s = :to', 'updatedAt = :now', 'gsi1sk = :g'];
  for (const [k, v] of Object.entries(set)) {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  try {
    const r = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.tip(t.id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#s = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return tipFromItem(r.Attributes!);
  } catch (e) {
    throw conflictOr(e, 'TIP_STATUS_CHANGED', '该知识的状态已被他人修改，请刷新后重试');
  }
}

function conflictOr(e: unknown, code: string, message: string): unknown {
  return (e as { name?: string })?.name === 'ConditionalCheckFailedException' ? new ConflictError(code, message) : e;
}
