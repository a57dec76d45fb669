/**
 * Health knowledge (issue 7): the resident's tips come from the in-app message list
 * (GET /me/messages?kind=tip, schemas/messages.ts); a tip's body is the safe HTML subset, turned
 * into blocks by the shared pure parser and rendered with plain components.
 */
import Taro from '@tarojs/taro';
import { messageResponse, messagesResponse, type MessageView } from '@jiayi/shared/schemas/messages';
import { subscriptionsResponse } from '@jiayi/shared/schemas/push';
import type { SubscriptionSource } from '@jiayi/shared/schemas/push';
import * as z from 'zod';
import { api } from '../api/client';

export const IS_H5 = process.env.TARO_ENV === 'h5';

export async function listTips(): Promise<{ messages: MessageView[]; unread: number }> {
  return api('GET', '/me/messages', { query: { kind: 'tip' }, schema: messagesResponse });
}

export async function markRead(id: string): Promise<MessageView> {
  return (await api('POST', `/me/messages/${encodeURIComponent(id)}/read`, { schema: messageResponse })).message;
}

/**
 * "订阅健康提醒": on WeChat asks for the tip template (wx.requestSubscribeMessage) and reports the
 * answer; on H5 (no subscribe messages) records an accepted credit through the same API.
 * Returns true when accepted.
 */
export async function subscribeTips(source: SubscriptionSource = 'button'): Promise<boolean> {
  const { tipTemplateId } = await api('GET', '/me/subscriptions', { schema: subscriptionsResponse });
  if (!tipTemplateId) return false;
  let accepted = true;
  if (!IS_H5) {
    const r = (await Taro.requestSubscribeMessage({ tmplIds: [tipTemplateId], entityIds: [] } as never)) as unknown as Record<string, string>;
    accepted = r[tipTemplateId] === 'accept';
  }
  await api('POST', '/me/subscriptions', { body: { templateId: tipTemplateId, accepted, source }, schema: z.object({ templateId: z.string(), credits: z.number() }) });
  return accepted;
}
