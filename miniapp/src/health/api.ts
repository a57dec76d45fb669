/**
 * Health knowledge (issue 7): the resident's tips come from the in-app message list
 * (GET /me/messages?kind=tip, schemas/messages.ts); a tip's body is the safe HTML subset, turned
 * into blocks by the shared pure parser and rendered with plain components.
 */
import Taro from '@tarojs/taro';
import { messageResponse, messagesResponse, type MessageView } from '@jiayi/shared/schemas/messages';
import { libraryTipResponse, libraryTipsResponse, subscriptionsResponse, type LibraryTipView } from '@jiayi/shared/schemas/push';
import type { SubscriptionSource } from '@jiayi/shared/schemas/push';
import * as z from 'zod';
import { api } from '../api/client';

export const IS_H5 = process.env.TARO_ENV === 'h5';

export async function listTips(): Promise<{ messages: MessageView[]; unread: number }> {
  return api('GET', '/me/messages', { query: { kind: 'tip' }, schema: messagesResponse });
}

/** 为您推荐: the approved tips that fit the household (GET /me/tips), not the ones pushed. */
export async function listLibrary(): Promise<LibraryTipView[]> {
  return (await api('GET', '/me/tips', { schema: libraryTipsResponse })).tips;
}

export async function getLibraryTip(id: string): Promise<LibraryTipView> {
  return (await api('GET', `/me/tips/${encodeURIComponent(id)}`, { schema: libraryTipResponse })).tip;
}

export async function markRead(id: string): Promise<MessageView> {
  return (await api('POST', `/me/messages/${encodeURIComponent(id)}/read`, { schema: messageResponse })).message;
}

/**
 * "订阅健康提醒" (WeChat only): asks for the tip template (wx.requestSubscribeMessage) and reports
 * the answer. H5 has no subscribe messages, so the page does not offer the button there and this
 * is never called: recording a credit the platform cannot honour would promise a notification
 * that never comes. Returns true when accepted.
 */
export async function subscribeTips(source: SubscriptionSource = 'button'): Promise<boolean> {
  if (IS_H5) return false;
  const { tipTemplateId } = await api('GET', '/me/subscriptions', { schema: subscriptionsResponse });
  if (!tipTemplateId) return false;
  const r = (await Taro.requestSubscribeMessage({ tmplIds: [tipTemplateId], entityIds: [] } as never)) as unknown as Record<string, string>;
  const accepted = r[tipTemplateId] === 'accept';
  await api('POST', '/me/subscriptions', { body: { templateId: tipTemplateId, accepted, source }, schema: z.object({ templateId: z.string(), credits: z.number() }) });
  return accepted;
}
