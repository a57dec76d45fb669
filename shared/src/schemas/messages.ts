/**
 * The in-app message list (站内消息): appointment reminders and notices (issue 6), health tips
 * (issue 7). GET /me/messages?kind, POST /me/messages/{id}/read.
 */
import * as z from 'zod';

export const MESSAGE_KINDS = { tip: '健康知识', reminder: '提醒', notice: '通知' } as const;
export type MessageKind = keyof typeof MESSAGE_KINDS;
export const MESSAGE_KIND_CODES = Object.keys(MESSAGE_KINDS) as [MessageKind, ...MessageKind[]];

export const messagesQuery = z.object({
  kind: z.enum(MESSAGE_KIND_CODES, { error: '消息类型无效' }).optional(),
  limit: z.coerce.number({ error: '条数应为数字' }).int('条数应为整数').min(1, '条数至少为1').max(100, '条数最多为100').optional(),
});

export const messageIdParams = z.object({
  id: z.string().min(1, '请指定消息').max(64, '消息编号格式有误').regex(/^[A-Za-z0-9_-]+$/, '消息编号格式有误'),
});

export const messageView = z.object({
  id: z.string(),
  kind: z.enum(MESSAGE_KIND_CODES),
  title: z.string(),
  body: z.string(),
  at: z.string(),
  read: z.boolean(),
  readAt: z.string().nullable(),
  memberId: z.string().nullable(),
  ref: z.object({ type: z.string(), id: z.string() }).nullable(),
  link: z.string().nullable(),
});
export type MessageView = z.infer<typeof messageView>;

export const messagesResponse = z.object({ messages: z.array(messageView), unread: z.number().int() });
export const messageResponse = z.object({ message: messageView });
