/**
 * The resident's in-app message list (站内消息), shared by appointments (reminders, notices) and
 * health push (tips): GET /me/messages?kind, POST /me/messages/{id}/read. Every key starts with
 * the caller's own account id, so another household's message is simply not found.
 */
import { messageIdParams, messagesQuery } from '@jiayi/shared/schemas/messages';
import { route, router } from '../http/with-http';
import { listMessages, markMessageRead, messageView } from '../db/messages.repo';

export const handler = router({
  'GET /me/messages': route({ auth: 'resident', query: messagesQuery }, async ({ principal, query }) => {
    const messages = await listMessages(principal.sub, { kind: query.kind, limit: query.limit ?? 100 });
    return { messages: messages.map(messageView), unread: messages.filter((m) => !m.readAt).length };
  }),

  'POST /me/messages/{id}/read': route({ auth: 'resident', params: messageIdParams }, async ({ principal, params, now }) => ({
    message: messageView(await markMessageRead(principal.sub, params.id, now)),
  })),
});
