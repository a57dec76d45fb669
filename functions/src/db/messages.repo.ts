/**
 * The in-app message list (站内消息) of a household account: appointment reminders and notices
 * (issue 6), health tips (issue 7). Every resident-facing notification lands here, whatever
 * external channel (subscribe message, SMS) is tried on top, so no resident is left without it.
 *
 *   pk `ACCT#<accountId>#MSG`, sk `MSG#<at>#<id>`  — newest first is a reverse Query.
 *
 * The read route gets only the id: it pages the (small, per-household) partition with a filter on
 * `id`. Callers that must write a message together with other items (e.g. an idempotency marker)
 * use `messagePut()` inside their own transaction.
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@jiayi/shared/domain/errors';
import type { MessageKind, MessageView } from '@jiayi/shared/schemas/messages';
import { db, tableName } from './client';
import { keys } from './keys';
import type { TxItem } from './transact';

export interface MessageRecord {
  id: string;
  accountId: string;
  kind: MessageKind;
  title: string;
  body: string;
  /** ISO instant the message was created (sort order). */
  at: string;
  /** The household member it is about, when it is about one. */
  memberId?: string;
  /** What it refers to, e.g. { type: 'appointment', id } or { type: 'tip', id }. */
  ref?: { type: string; id: string };
  /** Mini-program page to open, e.g. '/appointments/pages/mine/index'. */
  link?: string;
  readAt?: string;
}

export function newMessageId(): string {
  return randomUUID();
}

/** The stored item of a message (for a Put, possibly inside a transaction). */
export function messageItem(m: MessageRecord): Record<string, unknown> {
  return { ...keys.message(m.accountId, m.at, m.id), type: 'message', ...m };
}

/** A transaction Put of a new message (never overwrites). */
export function messagePut(m: MessageRecord): TxItem {
  return { Put: { TableName: tableName(), Item: messageItem(m), ConditionExpression: 'attribute_not_exists(pk)' } };
}

export async function putMessage(m: MessageRecord): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: messageItem(m), ConditionExpression: 'attribute_not_exists(pk)' }));
}

function fromItem(i: Record<string, unknown>): MessageRecord {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = i;
  return rest as unknown as MessageRecord;
}

export function messageView(m: MessageRecord): MessageView {
  return {
    id: m.id,
    kind: m.kind,
    title: m.title,
    body: m.body,
    at: m.at,
    read: !!m.readAt,
    readAt: m.readAt ?? null,
    memberId: m.memberId ?? null,
    ref: m.ref ?? null,
    link: m.link ?? null,
  };
}

/** Newest first; optionally one kind; at most `limit` messages. */
export async function listMessages(accountId: string, opts: { kind?: MessageKind; limit?: number } = {}): Promise<MessageRecord[]> {
  const limit = opts.limit ?? 100;
  const out: MessageRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ...(opts.kind ? { FilterExpression: 'kind = :k' } : {}),
        ExpressionAttributeValues: { ':p': keys.message(accountId, '', '').pk, ':s': 'MSG#', ...(opts.kind ? { ':k': opts.kind } : {}) },
        ScanIndexForward: false,
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(r.Items ?? []).map(fromItem));
    start = r.LastEvaluatedKey;
  } while (start && out.length < limit);
  return out.slice(0, limit);
}

async function findMessage(accountId: string, id: string): Promise<MessageRecord | undefined> {
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        FilterExpression: 'id = :id',
        ExpressionAttributeValues: { ':p': keys.message(accountId, '', '').pk, ':s': 'MSG#', ':id': id },
        ScanIndexForward: false,
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    const hit = r.Items?.[0];
    if (hit) return fromItem(hit);
    start = r.LastEvaluatedKey;
  } while (start);
  return undefined;
}

/** Marks one of the account's messages read (idempotent: the first read instant is kept). */
export async function markMessageRead(accountId: string, id: string, now: Date): Promise<MessageRecord> {
  const m = await findMessage(accountId, id);
  if (!m) throw new NotFoundError('未找到该消息', 'MESSAGE_NOT_FOUND');
  if (m.readAt) return m;
  const r = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.message(accountId, m.at, m.id),
      UpdateExpression: 'SET readAt = if_not_exists(readAt, :now)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return fromItem(r.Attributes ?? {});
}
