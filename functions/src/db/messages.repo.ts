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
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@jiayi/shared/domain/errors';
import type { MessageRecord } from '@jiayi/shared/domain/messages';
import type { MessageKind, MessageView } from '@jiayi/shared/schemas/messages';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryItems } from './query';
import type { TxItem } from './transact';

export type { MessageRecord } from '@jiayi/shared/domain/messages';

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

function inbox(accountId: string, filter: { expression: string; values: Record<string, unknown> } | undefined) {
  return {
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ...(filter ? { FilterExpression: filter.expression } : {}),
    ExpressionAttributeValues: { ':p': keys.message(accountId, '', '').pk, ':s': 'MSG#', ...filter?.values },
    ScanIndexForward: false,
    ConsistentRead: true,
  };
}

/** Newest first; optionally one kind; at most `limit` messages (pages are read only as far as needed). */
export async function listMessages(accountId: string, opts: { kind?: MessageKind; limit?: number } = {}): Promise<MessageRecord[]> {
  const limit = opts.limit ?? 100;
  const out: MessageRecord[] = [];
  for await (const item of queryItems(inbox(accountId, opts.kind ? { expression: 'kind = :k', values: { ':k': opts.kind } } : undefined))) {
    out.push(fromItem(item));
    if (out.length >= limit) break;
  }
  return out;
}

async function findMessage(accountId: string, id: string): Promise<MessageRecord | undefined> {
  for await (const item of queryItems(inbox(accountId, { expression: 'id = :id', values: { ':id': id } }))) return fromItem(item);
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
