/**
 * A local SQS endpoint speaking the AWS JSON 1.0 protocol that SQS serves and that
 * `@aws-sdk/client-sqs` (and our own SqsPushQueue) use: POST / with
 * `X-Amz-Target: AmazonSQS.<Action>`. Queues are the ones serverless.yml declares
 * (serverless-config.ts), so the producer side makes exactly the calls it makes on AWS —
 * SendMessageBatch to the queue's URL — and only the endpoint differs (QUEUE_URL /
 * AWS_ENDPOINT_URL_SQS). Requests are not signature-checked (local credentials are fake).
 *
 * Actions: GetQueueUrl, ListQueues, GetQueueAttributes, SendMessage, SendMessageBatch,
 * ReceiveMessage (with long polling), DeleteMessage(Batch), ChangeMessageVisibility(Batch),
 * PurgeQueue. Queue semantics (visibility, receive counts, redrive) live in sqs-queue.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalQueue, md5OfAttributes, type MessageAttributeValue, type StoredMessage } from './sqs-queue';
import type { QueueSpec } from './serverless-config';

export const LOCAL_ACCOUNT = '000000000000';
const REGION = 'cn-northwest-1';
const MAX_BODY_BYTES = 262_144;

class SqsError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const nonExistent = () => new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
const invalidParam = (m: string) => new SqsError('InvalidParameterValue', 'InvalidParameterValue', m);

export interface LocalSqs {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  queues: Map<string, LocalQueue>;
  byLogicalId(logicalId: string): LocalQueue;
  close(): Promise<void>;
}

type Req = Record<string, unknown>;

function attrs(v: unknown): Record<string, MessageAttributeValue> {
  if (v === undefined) return {};
  if (!v || typeof v !== 'object') throw invalidParam('MessageAttributes must be a map');
  return v as Record<string, MessageAttributeValue>;
}

function checkBody(body: unknown): string {
  if (typeof body !== 'string' || body.length === 0) throw new SqsError('MissingParameter', 'MissingParameter', 'The request must contain the parameter MessageBody.');
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) throw invalidParam(`One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
  return body;
}

function batchEntries(req: Req): Req[] {
  const entries = req.Entries;
  if (!Array.isArray(entries) || entries.length === 0) throw new SqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (entries.length > 10) throw new SqsError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
  const ids = new Set<string>();
  for (const e of entries as Req[]) {
    const id = String(e.Id ?? '');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new SqsError('InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    if (ids.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    ids.add(id);
  }
  return entries as Req[];
}

function systemAttributes(m: StoredMessage, wanted: string[]): Record<string, string> {
  const all: Record<string, string> = {
    SenderId: LOCAL_ACCOUNT,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt ?? m.sentAt),
  };
  if (wanted.includes('All')) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k)));
}

export async function startLocalSqs(opts: {
  queues: QueueSpec[];
  now: () => number;
  port?: number;
  host?: string;
  onRedrive?: (m: StoredMessage, from: LocalQueue, to: LocalQueue) => void;
}): Promise<LocalSqs> {
  const host = opts.host ?? '127.0.0.1';
  const queues = new Map<string, LocalQueue>();
  const byLogical = new Map<string, LocalQueue>();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  // Dead-letter queues first: a source queue's redrive points at its queue object.
  const ordered = [...opts.queues].sort((a, b) => Number(!!a.redrive) - Number(!!b.redrive));
  for (const q of ordered) {
    const dlq = q.redrive ? byLogical.get(q.redrive.deadLetterLogicalId) : undefined;
    const queue = new LocalQueue(
      {
        name: q.queueName,
        url: `${endpoint}/${LOCAL_ACCOUNT}/${q.queueName}`,
        arn: `arn:aws:sqs:${REGION}:${LOCAL_ACCOUNT}:${q.queueName}`,
        visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
        retentionSeconds: q.retentionSeconds,
        delaySeconds: q.delaySeconds,
        ...(dlq && q.redrive && { redrive: { deadLetterQueue: dlq, maxReceiveCount: q.redrive.maxReceiveCount } }),
        onRedrive: (m, to) => opts.onRedrive?.(m, queue, to),
      },
      opts.now,
    );
    queues.set(q.queueName, queue);
    byLogical.set(q.logicalId, queue);
  }

  const queueOf = (req: Req): LocalQueue => {
    const url = String(req.QueueUrl ?? '');
    const name = url.split('/').pop() ?? '';
    const q = queues.get(name);
    if (!q) throw nonExistent();
    return q;
  };

  async function receive(req: Req): Promise<Req> {
    const q = queueOf(req);
    const max = Number(req.MaxNumberOfMessages ?? 1);
    if (!Number.isInteger(max) || max < 1 || max > 10) throw invalidParam('Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10.');
    const wait = Number(req.WaitTimeSeconds ?? 0);
    if (!(wait >= 0 && wait <= 20)) throw invalidParam('Value for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20.');
    const vt = req.VisibilityTimeout === undefined ? undefined : Number(req.VisibilityTimeout);
    if (vt !== undefined && !(Number.isInteger(vt) && vt >= 0 && vt <= 43_200)) throw invalidParam('Value for parameter VisibilityTimeout is invalid.');
    if (wait > 0 && q.visibleCount() === 0) {
      // Long polling: wait (in real time) for a message or a clock move that reveals one.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          clearInterval(iv);
          off();
          resolve();
        };
        const off = q.onChange(done);
        const iv = setInterval(() => q.visibleCount() > 0 && done(), 200);
        const t = setTimeout(done, wait * 1000);
      });
    }
    const wanted = [...((req.AttributeNames as string[]) ?? []), ...((req.MessageSystemAttributeNames as string[]) ?? [])];
    const wantedUser = (req.MessageAttributeNames as string[]) ?? [];
    const messages = q.receive(max, vt).map((m) => {
      const user = wantedUser.includes('All') || wantedUser.includes('.*') ? m.messageAttributes : Object.fromEntries(Object.entries(m.messageAttributes).filter(([k]) => wantedUser.includes(k)));
      const md5Attrs = md5OfAttributes(user);
      return {
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: m.md5OfBody,
        Body: m.body,
        ...(wanted.length && { Attributes: systemAttributes(m, wanted) }),
        ...(md5Attrs && { MessageAttributes: user, MD5OfMessageAttributes: md5Attrs }),
      };
    });
    return messages.length ? { Messages: messages } : {};
  }

  const actions: Record<string, (req: Req) => Req | Promise<Req>> = {
    GetQueueUrl: (req) => {
      const q = queues.get(String(req.QueueName ?? ''));
      if (!q) throw nonExistent();
      return { QueueUrl: q.settings.url };
    },
    ListQueues: (req) => ({ QueueUrls: [...queues.values()].map((q) => q.settings.url).filter((u) => u.split('/').pop()!.startsWith(String(req.QueueNamePrefix ?? ''))) }),
    GetQueueAttributes: (req) => {
      const q = queueOf(req);
      const c = q.counts();
      const s = q.settings;
      return {
        Attributes: {
          QueueArn: s.arn,
          ApproximateNumberOfMessages: String(c.visible),
          ApproximateNumberOfMessagesNotVisible: String(c.inFlight),
          ApproximateNumberOfMessagesDelayed: String(c.delayed),
          VisibilityTimeout: String(s.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(s.retentionSeconds),
          DelaySeconds: String(s.delaySeconds),
          MaximumMessageSize: String(MAX_BODY_BYTES),
          ...(s.redrive && { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: s.redrive.deadLetterQueue.settings.arn, maxReceiveCount: s.redrive.maxReceiveCount }) }),
        },
      };
    },
    SendMessage: (req) => {
      const q = queueOf(req);
      const m = q.send(checkBody(req.MessageBody), { ...(req.DelaySeconds !== undefined && { delaySeconds: Number(req.DelaySeconds) }), messageAttributes: attrs(req.MessageAttributes) });
      return { MessageId: m.messageId, MD5OfMessageBody: m.md5OfBody, ...(m.md5OfMessageAttributes && { MD5OfMessageAttributes: m.md5OfMessageAttributes }) };
    },
    SendMessageBatch: (req) => {
      const q = queueOf(req);
      const entries = batchEntries(req);
      const total = entries.reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? ''), 'utf8'), 0);
      if (total > MAX_BODY_BYTES) throw new SqsError('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BODY_BYTES} bytes.`);
      const Successful: Req[] = [];
      const Failed: Req[] = [];
      for (const e of entries) {
        try {
          const m = q.send(checkBody(e.MessageBody), { ...(e.DelaySeconds !== undefined && { delaySeconds: Number(e.DelaySeconds) }), messageAttributes: attrs(e.MessageAttributes) });
          Successful.push({ Id: e.Id, MessageId: m.messageId, MD5OfMessageBody: m.md5OfBody, ...(m.md5OfMessageAttributes && { MD5OfMessageAttributes: m.md5OfMessageAttributes }) });
        } catch (err) {
          const x = err instanceof SqsError ? err : invalidParam(String(err));
          Failed.push({ Id: e.Id, SenderFault: true, Code: x.type, Message: x.message });
        }
      }
      return { Successful, Failed };
    },
    ReceiveMessage: receive,
    DeleteMessage: (req) => {
      if (queueOf(req).delete(String(req.ReceiptHandle ?? '')) === 'invalid') throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
      return {};
    },
    DeleteMessageBatch: (req) => {
      const q = queueOf(req);
      const Successful: Req[] = [];
      const Failed: Req[] = [];
      for (const e of batchEntries(req)) {
        if (q.delete(String(e.ReceiptHandle ?? '')) === 'invalid') Failed.push({ Id: e.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle is invalid.' });
        else Successful.push({ Id: e.Id });
      }
      return { Successful, Failed };
    },
    ChangeMessageVisibility: (req) => {
      const r = queueOf(req).changeVisibility(String(req.ReceiptHandle ?? ''), Number(req.VisibilityTimeout ?? 0));
      if (r === 'invalid') throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
      if (r === 'stale') throw new SqsError('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'The message referred to is not in flight.');
      return {};
    },
    ChangeMessageVisibilityBatch: (req) => {
      const q = queueOf(req);
      const Successful: Req[] = [];
      const Failed: Req[] = [];
      for (const e of batchEntries(req)) {
        const r = q.changeVisibility(String(e.ReceiptHandle ?? ''), Number(e.VisibilityTimeout ?? 0));
        if (r === 'changed') Successful.push({ Id: e.Id });
        else Failed.push({ Id: e.Id, SenderFault: true, Code: r === 'invalid' ? 'ReceiptHandleIsInvalid' : 'MessageNotInflight', Message: r });
      }
      return { Successful, Failed };
    },
    PurgeQueue: (req) => {
      queueOf(req).purge();
      return {};
    },
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': globalThis.crypto.randomUUID(), ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || !target.startsWith('AmazonSQS.')) {
        throw new SqsError('InvalidAction', 'InvalidAction', 'The local SQS speaks the AWS JSON 1.0 protocol only (X-Amz-Target: AmazonSQS.<Action>).');
      }
      const action = actions[target.slice('AmazonSQS.'.length)];
      if (!action) throw new SqsError('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', `${target} is not available on the local SQS (queues come from serverless.yml).`);
      let body: Req;
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Req) : {};
      } catch {
        throw new SqsError('SerializationException', 'SerializationException', 'The request body is not JSON.');
      }
      reply(200, await action(body));
    } catch (e) {
      const err = e instanceof SqsError ? e : new SqsError('InternalError', 'InternalError', e instanceof Error ? e.message : String(e), 500);
      reply(err.status, { __type: `com.amazonaws.sqs#${err.type}`, message: err.message }, { 'x-amzn-query-error': `${err.queryCode};${err.status < 500 ? 'Sender' : 'Receiver'}` });
    }
  }

  return {
    endpoint,
    queues,
    byLogicalId(logicalId) {
      const q = byLogical.get(logicalId);
      if (!q) throw new Error(`no local queue for ${logicalId}`);
      return q;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
