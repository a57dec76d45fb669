/**
 * PIPL accountability: every read of a resident's sensitive data by staff is written here
 * (who, whose data, what, when, why). Items are append-only and kept per subject, so a
 * resident's "who looked at my data" view is one query.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
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

export async function recordAccess(entry: AccessEntry): Promise<void> {
  const id = randomUUID();
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.accessLog(entry.subjectAccountId, entry.at, id), ...keys.accessLogByStaff(entry.staffId, entry.at, id), type: 'access-log', ...entry },
    }),
  );
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
