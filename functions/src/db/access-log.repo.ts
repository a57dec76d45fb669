/**
 * PIPL accountability: every read of a resident's sensitive data by staff is written here
 * (who, whose data, what, when, why). Items are append-only and kept per subject, so a
 * resident's "who looked at my data" view is one query.
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryFrom } from './query';

export interface AccessEntry {
  staffId: string;
  role: string;
  /** The resident account (household) whose data was read. */
  subjectAccountId: string;
  memberId?: string;
  /** What was read, e.g. 'member.conditions', 'member.idNumber'. */
  fields: string[];
  purpose: string;
  at: string;
}

function accessItem(entry: AccessEntry): Record<string, unknown> {
  const id = randomUUID();
  return { ...keys.accessLog(entry.subjectAccountId, entry.at, id), ...keys.accessLogByStaff(entry.staffId, entry.at, id), type: 'access-log', ...entry };
}

export async function recordAccess(entry: AccessEntry): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: accessItem(entry) }));
}

/**
 * Many reads at once (a bulk export page): BatchWriteItem, 25 entries per call, unprocessed items
 * retried with back-off. Resolves only when every entry is written.
 */
export async function recordAccessBatch(entries: AccessEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 25) {
    let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [tableName()]: entries.slice(i, i + 25).map((e) => ({ PutRequest: { Item: accessItem(e) } })),
    };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const r = await db().send(new BatchWriteCommand({ RequestItems: request }));
      request = r.UnprocessedItems as typeof request;
    }
  }
}

export async function listAccessFor(subjectAccountId: string, limit = 100): Promise<AccessEntry[]> {
  const page = await queryFrom(
    { KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': keys.accessLog(subjectAccountId, '', '').pk, ':s': 'ACCESS#' }, ScanIndexForward: false, Limit: limit },
    undefined,
  );
  return page.items.map(({ staffId, role, subjectAccountId: s, memberId, fields, purpose, at }) => ({
    staffId,
    role,
    subjectAccountId: s,
    memberId,
    fields,
    purpose,
    at,
  })) as AccessEntry[];
}
