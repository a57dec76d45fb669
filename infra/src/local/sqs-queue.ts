/**
 * One standard SQS queue in memory, with the semantics the push pipeline relies on
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/):
 *
 * - at-least-once: a received message is only hidden for the visibility timeout; unless it is
 *   deleted with its latest receipt handle it becomes visible again and is delivered again;
 * - receive counts: every receive increments ApproximateReceiveCount; when a receive would take
 *   it past the redrive policy's maxReceiveCount the message moves to the dead-letter queue
 *   instead (as SQS does, at receive time);
 * - delay and retention: DelaySeconds hides a new message; one older than the retention period
 *   is dropped.
 *
 * Time comes from `now` (epoch ms): the local clock, so a test moves visibility timeouts forward
 * with the rest of the stack. Order is first-in first-out on a best-effort basis, as standard
 * queues promise nothing more.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The latest receipt handle (older ones no longer delete or change the message). */
  receiptHandle?: string;
}

export interface QueueSettings {
  name: string;
  url: string;
  arn: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  delaySeconds: number;
  redrive?: { deadLetterQueue: LocalQueue; maxReceiveCount: number };
  /** Told when a message moves to the dead-letter queue (the stack logs it). */
  onRedrive?: (m: StoredMessage, to: LocalQueue) => void;
}

export const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

/** MD5OfMessageAttributes as SQS computes it (the SDK checks it on every send and receive). */
export function md5OfAttributes(attrs: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attrs).sort();
  if (!names.length) return undefined;
  const chunks: Buffer[] = [];
  const withLength = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    chunks.push(len, b);
  };
  for (const name of names) {
    const a = attrs[name]!;
    withLength(Buffer.from(name, 'utf8'));
    withLength(Buffer.from(a.DataType, 'utf8'));
    if (a.BinaryValue !== undefined) {
      chunks.push(Buffer.from([2]));
      withLength(Buffer.from(a.BinaryValue, 'base64'));
    } else {
      chunks.push(Buffer.from([1]));
      withLength(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return md5(Buffer.concat(chunks));
}

export class LocalQueue {
  private readonly messages = new Map<string, StoredMessage>();
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly settings: QueueSettings,
    private readonly now: () => number,
  ) {}

  /** Called whenever a message may have become receivable (new message, visibility change). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  send(body: string, opts: { delaySeconds?: number; messageAttributes?: Record<string, MessageAttributeValue> } = {}): StoredMessage {
    const at = this.now();
    const messageAttributes = opts.messageAttributes ?? {};
    const m: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      messageAttributes,
      md5OfMessageAttributes: md5OfAttributes(messageAttributes),
      sentAt: at,
      visibleAt: at + (opts.delaySeconds ?? this.settings.delaySeconds) * 1000,
      receiveCount: 0,
    };
    this.messages.set(m.messageId, m);
    this.changed();
    return m;
  }

  /** Moves a message in as it was (the redrive to a dead-letter queue keeps id, body and counts). */
  adopt(m: StoredMessage): void {
    this.messages.set(m.messageId, { ...m, receiptHandle: undefined, visibleAt: this.now() });
    this.changed();
  }

  private expire(at: number): void {
    for (const m of this.messages.values()) if (m.sentAt + this.settings.retentionSeconds * 1000 <= at) this.messages.delete(m.messageId);
  }

  /** Receivable messages right now (visible, not past retention). */
  visibleCount(): number {
    const at = this.now();
    this.expire(at);
    let n = 0;
    for (const m of this.messages.values()) if (m.visibleAt <= at) n++;
    return n;
  }

  /** The epoch ms at which the next invisible message becomes visible, or undefined. */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const m of this.messages.values()) if (next === undefined || m.visibleAt < next) next = m.visibleAt;
    return next;
  }

  get size(): number {
    return this.messages.size;
  }

  /**
   * Up to `max` visible messages, each hidden for `visibilityTimeoutSeconds` (default: the
   * queue's) with a fresh receipt handle; messages past maxReceiveCount go to the DLQ instead.
   */
  receive(max: number, visibilityTimeoutSeconds = this.settings.visibilityTimeoutSeconds): StoredMessage[] {
    const at = this.now();
    this.expire(at);
    const out: StoredMessage[] = [];
    const visible = [...this.messages.values()].filter((m) => m.visibleAt <= at).sort((a, b) => a.sentAt - b.sentAt);
    for (const m of visible) {
      if (out.length >= max) break;
      const redrive = this.settings.redrive;
      if (redrive && m.receiveCount >= redrive.maxReceiveCount) {
        this.messages.delete(m.messageId);
        redrive.deadLetterQueue.adopt(m);
        this.settings.onRedrive?.(m, redrive.deadLetterQueue);
        continue;
      }
      m.receiveCount += 1;
      m.firstReceiveAt ??= at;
      m.visibleAt = at + visibilityTimeoutSeconds * 1000;
      m.receiptHandle = Buffer.from(`${m.messageId}:${randomUUID()}`).toString('base64url');
      out.push({ ...m });
    }
    return out;
  }

  /** The message a receipt handle belongs to: 'invalid' (not a handle of this queue's messages), 'stale' or the message. */
  private byHandle(handle: string): StoredMessage | 'invalid' | 'stale' {
    const id = Buffer.from(handle, 'base64url').toString('utf8').split(':')[0] ?? '';
    const m = this.messages.get(id);
    if (!m) return /^[0-9a-f-]{36}$/.test(id) ? 'stale' : 'invalid';
    return m.receiptHandle === handle ? m : 'stale';
  }

  /** Deletes by receipt handle. A stale handle (the message was received again since) deletes nothing, as on SQS. */
  delete(handle: string): 'deleted' | 'stale' | 'invalid' {
    const m = this.byHandle(handle);
    if (typeof m === 'string') return m;
    this.messages.delete(m.messageId);
    return 'deleted';
  }

  changeVisibility(handle: string, seconds: number): 'changed' | 'stale' | 'invalid' {
    const m = this.byHandle(handle);
    if (typeof m === 'string') return m;
    m.visibleAt = this.now() + seconds * 1000;
    this.changed();
    return 'changed';
  }

  purge(): void {
    this.messages.clear();
  }

  /** ApproximateNumberOfMessages / …NotVisible / …Delayed. */
  counts(): { visible: number; inFlight: number; delayed: number } {
    const at = this.now();
    this.expire(at);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= at) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  /** Every message, for inspection (tests, the DLQ log line). */
  peek(): StoredMessage[] {
    return [...this.messages.values()].map((m) => ({ ...m }));
  }
}
