/**
 * Server-side ledger of WeChat one-time subscribe-message credits (issue 7). A one-time
 * subscription allows exactly one message per accept (wx.requestSubscribeMessage), so every
 * accept collected at a tap adds one credit (`ACCT#<accountId>#SUBS` / `TPL#<templateId>`) and
 * every send spends one in a conditional update (`credits > :zero`): two senders racing for the
 * last credit cannot both spend it. Long-term templates (push config) never consume credits.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriptionSource } from '@jiayi/shared/schemas/push';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryAll } from './query';
import type { TxItem } from './transact';

/**
 * Credits held per template are capped: WeChat accumulates one-time accepts too, but a client
 * replaying "accepted" cannot buy an unbounded stock (extra sends would only fail with 43101).
 */
export const MAX_CREDITS = 20;

export interface SubscribeCredit {
  templateId: string;
  credits: number;
  accepted: number;
  refused: number;
  spent: number;
  lastSource?: SubscriptionSource;
  lastAt?: string;
}

/** Records one answer to a subscribe prompt: an accept adds a credit (up to MAX_CREDITS), a refusal only counts. */
export async function recordSubscriptionAnswer(accountId: string, templateId: string, accepted: boolean, source: SubscriptionSource, now: Date): Promise<SubscribeCredit> {
  const at = now.toISOString();
  const base = {
    TableName: tableName(),
    Key: keys.subscribeCredit(accountId, templateId),
    ReturnValues: 'ALL_NEW' as const,
  };
  if (accepted) {
    try {
      const r = await db().send(
        new UpdateCommand({
          ...base,
          UpdateExpression: 'ADD credits :one, accepted :one SET templateId = :t, accountId = :a, lastSource = :s, lastAt = :at, #type = :type',
          ConditionExpression: 'attribute_not_exists(credits) OR credits < :max',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':one': 1, ':t': templateId, ':a': accountId, ':s': source, ':at': at, ':max': MAX_CREDITS, ':type': 'subscribe-credit' },
        }),
      );
      return creditFromItem(r.Attributes!);
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
      // At the cap: the accept is counted, the stock stays.
    }
  }
  const r = await db().send(
    new UpdateCommand({
      ...base,
      UpdateExpression: `ADD ${accepted ? 'accepted' : 'refused'} :one SET templateId = :t, accountId = :a, lastSource = :s, lastAt = :at, credits = if_not_exists(credits, :zero), #type = :type`,
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':t': templateId, ':a': accountId, ':s': source, ':at': at, ':type': 'subscribe-credit' },
    }),
  );
  return creditFromItem(r.Attributes!);
}

/**
 * Spends one credit of the account for the template: true when one was spent, false when none
 * was held. For the appointments engineer's reminders and any other one-time subscribe send.
 */
export async function spendSubscribeCredit(accountId: string, templateId: string): Promise<boolean> {
  try {
    await db().send(new UpdateCommand(spendCreditUpdate(accountId, templateId)));
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

function spendCreditUpdate(accountId: string, templateId: string) {
  return {
    TableName: tableName(),
    Key: keys.subscribeCredit(accountId, templateId),
    UpdateExpression: 'ADD credits :minus, spent :one',
    ConditionExpression: 'credits > :zero',
    ExpressionAttributeValues: { ':minus': -1, ':one': 1, ':zero': 0 },
  };
}

/** The same spend as one item of a transaction (the push sender spends with the delivery). */
export function spendCreditTx(accountId: string, templateId: string): TxItem {
  return { Update: spendCreditUpdate(accountId, templateId) };
}

/** Gives a credit back (the message was not delivered for a reason that did not use WeChat's subscription). */
export async function refundSubscribeCredit(accountId: string, templateId: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.subscribeCredit(accountId, templateId),
      UpdateExpression: 'ADD credits :one, spent :minus',
      ConditionExpression: 'attribute_exists(pk) AND credits < :max',
      ExpressionAttributeValues: { ':one': 1, ':minus': -1, ':max': MAX_CREDITS },
    }),
  ).catch((e: unknown) => {
    if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
  });
}

/** WeChat said the user holds no subscription (43101): our ledger was ahead of WeChat's, so it is emptied. */
export async function clearSubscribeCredits(accountId: string, templateId: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.subscribeCredit(accountId, templateId),
      UpdateExpression: 'SET credits = :zero',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':zero': 0 },
    }),
  ).catch((e: unknown) => {
    if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
  });
}

export async function getSubscribeCredit(accountId: string, templateId: string): Promise<SubscribeCredit | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscribeCredit(accountId, templateId), ConsistentRead: true }));
  return r.Item ? creditFromItem(r.Item) : undefined;
}

export async function listSubscribeCredits(accountId: string): Promise<SubscribeCredit[]> {
  const items = await queryAll({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.subscribeCredit(accountId, '').pk }, ConsistentRead: true });
  return items.map(creditFromItem);
}

function creditFromItem(i: Record<string, unknown>): SubscribeCredit {
  return {
    templateId: String(i.templateId ?? String(i.sk).slice(4)),
    credits: Number(i.credits ?? 0),
    accepted: Number(i.accepted ?? 0),
    refused: Number(i.refused ?? 0),
    spent: Number(i.spent ?? 0),
    ...(i.lastSource ? { lastSource: i.lastSource as SubscriptionSource } : {}),
    ...(i.lastAt ? { lastAt: String(i.lastAt) } : {}),
  };
}
