/**
 * An in-app message (站内消息) of a household account: appointment reminders and notices (issue 6),
 * health tips (issue 7). Every resident-facing notification lands in the inbox, whatever external
 * channel (subscribe message, SMS) is tried on top. Stored by functions/src/db/messages.repo.ts.
 */
import type { MessageKind } from '../schemas/messages';

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
