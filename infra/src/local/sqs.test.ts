/**
 * The local SQS (sqs-server.ts, sqs-queue.ts) and its Lambda event source (sqs-event-source.ts),
 * driven through @aws-sdk/client-sqs — the client issue 19 moves the planner to — and through the
 * planner's own SqsPushQueue (SendMessageBatch, what production calls today). Time is a fake
 * clock the test moves: visibility timeouts pass without sleeping.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SqsPushQueue } from '../../../functions/src/push/queue';
import type { PushJob } from '../../../functions/src/push/jobs';
import { startLocalSqs, type LocalSqs } from './sqs-server';
import { SqsEventSource, type BatchReport } from './sqs-event-source';
import type { ConsumerSpec, QueueSpec } from './serverless-config';
import type { Invoker } from './lambda-invoke';

const QUEUES: QueueSpec[] = [
  { logicalId: 'Q', queueName: 'jobs', visibilityTimeoutSeconds: 180, retentionSeconds: 1_209_600, delaySeconds: 0, redrive: { deadLetterLogicalId: 'DLQ', maxReceiveCount: 3 } },
  { logicalId: 'DLQ', queueName: 'jobs-dlq', visibilityTimeoutSeconds: 30, retentionSeconds: 1_209_600, delaySeconds: 0 },
];

let t = Date.parse('2027-03-31T15:59:00Z');
const now = () => t;
let sqs: LocalSqs | undefined;

async function start(): Promise<{ sqs: LocalSqs; client: SQSClient; url: string }> {
  t = Date.parse('2027-03-31T15:59:00Z');
  sqs = await startLocalSqs({ queues: QUEUES, now });
  const client = new SQSClient({ endpoint: sqs.endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const url = (await client.send(new GetQueueUrlCommand({ QueueName: 'jobs' }))).QueueUrl!;
  return { sqs, client, url };
}

afterEach(async () => {
  await sqs?.close();
  sqs = undefined;
});

describe('local SQS through @aws-sdk/client-sqs', () => {
  it('SendMessageBatch, ReceiveMessage with receive counts, visibility timeout, delete with the latest handle', async () => {
    const { client, url } = await start();
    const sent = await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: '二' }] }));
    expect(sent.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    expect(first.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['one', '1'], ['二', '1']]);
    // Hidden for the visibility timeout, then delivered again (at-least-once).
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
    t += 179_000;
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
    t += 1_000;
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(again.Messages?.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['2', '2']);
    // The first receive's handle is stale: it deletes nothing; the latest one deletes.
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle! }));
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]!.ReceiptHandle! }));
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.Messages![1]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const left = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(left.Messages?.map((m) => m.Body)).toEqual(['二']);
  });

  it('moves a message to the dead-letter queue when a receive would exceed maxReceiveCount', async () => {
    const { client, url, sqs: s } = await start();
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 1; i <= 3; i++) {
      expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
      t += 180_000;
    }
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const dlqUrl = (await client.send(new GetQueueUrlCommand({ QueueName: 'jobs-dlq' }))).QueueUrl!;
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(dead.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['poison', '4']]);
    const attrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(JSON.parse(attrs.Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: s.queues.get('jobs-dlq')!.settings.arn, maxReceiveCount: 3 });
  });

  it('answers SQS errors the SDK understands: unknown queue, batch limits, duplicate ids', async () => {
    const { client, url } = await start();
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: eleven }))).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] }))).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
  });
});

const job = (n: number): PushJob => ({
  v: 1, jobId: `job-${n}`, runId: 'run', quarter: '2027Q1', regionId: 'yongkang', institutionId: 'i', teamId: 't', shard: 0, agreementId: 'a', accountId: 'acct',
  memberId: 'm', memberName: '张三', memberKey: `k${n}`, tipId: 'tip', repeat: false, plannedAt: '2027-03-31T15:59:00.000Z',
});

describe('the planner\'s SqsPushQueue (SendMessageBatch) against the local endpoint', () => {
  it('enqueues up to ten jobs per call, as on AWS', async () => {
    const { client, url } = await start();
    const q = new SqsPushQueue(url, { env: { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'cn-northwest-1' } });
    await q.sendBatch(Array.from({ length: 10 }, (_, i) => job(i)));
    const got = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => (JSON.parse(m.Body!) as PushJob).jobId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i}`).sort());
  });
});

describe('event source: batches, partial batch failures, function errors, DLQ', () => {
  const consumer = (over: Partial<ConsumerSpec> = {}): ConsumerSpec => ({
    functionKey: 'sender', functionName: 'jiayi-local-sender', queueLogicalId: 'Q', batchSize: 10, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true, maximumConcurrency: 50, ...over,
  });

  async function withSource(invoke: Invoker, spec = consumer()) {
    const { sqs: s, client, url } = await start();
    const reports: BatchReport[] = [];
    const source = new SqsEventSource({ consumer: spec, queue: s.byLogicalId('Q'), invoke, now, concurrency: 1, onBatch: (r) => reports.push(r) });
    const send = (bodies: string[]) => client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.map((b, i) => ({ Id: `e${i}`, MessageBody: b })) }));
    /** Lets `ms` pass, then one poll that gathers for the batching window (5 s) and hands what is due. */
    const after = async (ms: number) => {
      t += ms;
      await source.pump();
      t += 5_000;
      await source.pump();
      await source.idle();
    };
    return { s, source, reports, send, after };
  }

  it('gathers for the batching window, then hands batches of at most batchSize; deletes what succeeded', async () => {
    const seen: string[][] = [];
    const { s, source, send, after } = await withSource(async (_fn, event) => {
      seen.push((event as { Records: { body: string }[] }).Records.map((r) => r.body));
      return { ok: true, payload: { batchItemFailures: [] }, ms: 1 };
    });
    await send(['1', '2', '3']);
    await source.pump();
    expect(seen).toEqual([]); // fewer than 10 and the 5 s window has not passed
    t += 4_999;
    await source.pump();
    expect(seen).toEqual([]);
    t += 1;
    await source.pump();
    await source.idle();
    expect(seen).toEqual([['1', '2', '3']]);
    // A full batch goes at once; the rest waits for the window.
    await send(Array.from({ length: 10 }, (_, i) => `a${i}`));
    await send(['b0', 'b1']);
    await source.pump();
    expect(seen.slice(1).map((b) => b.length)).toEqual([10]);
    await after(0);
    expect(seen.slice(1).map((b) => b.length)).toEqual([10, 2]);
    expect(s.byLogicalId('Q').size).toBe(0);
  });

  it('ReportBatchItemFailures: only the failed items return, after the visibility timeout, and go to the DLQ after maxReceiveCount', async () => {
    const { s, reports, send, after } = await withSource(async (_fn, event) => {
      const records = (event as { Records: { messageId: string; body: string }[] }).Records;
      return { ok: true, payload: { batchItemFailures: records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) }, ms: 1 };
    });
    await send(['ok1', 'bad', 'ok2']);
    await after(0);
    expect(reports.at(-1)).toMatchObject({ size: 3, failed: 1 });
    expect(s.byLogicalId('Q').peek().map((m) => m.body)).toEqual(['bad']);
    await after(100_000); // still within its visibility timeout: nothing
    expect(reports).toHaveLength(1);
    await after(80_000);
    await after(180_000);
    expect(reports.map((r) => r.size)).toEqual([3, 1, 1]);
    await after(180_000); // a fourth receive would exceed maxReceiveCount 3: redriven
    expect(reports).toHaveLength(3);
    expect(s.byLogicalId('Q').size).toBe(0);
    expect(s.byLogicalId('DLQ').peek().map((m) => [m.body, m.receiveCount])).toEqual([['bad', 3]]);
  });

  it('a function error or an invalid batchItemFailures answer leaves the whole batch on the queue', async () => {
    let mode: 'throw' | 'invalid' | 'ok' = 'throw';
    const { s, reports, send, after } = await withSource(async () =>
      mode === 'throw' ? { ok: false, error: 'Unhandled: boom', ms: 1 } : { ok: true, payload: mode === 'invalid' ? { batchItemFailures: [{ itemIdentifier: '' }] } : null, ms: 1 },
    );
    await send(['x', 'y']);
    await after(0);
    expect(s.byLogicalId('Q').size).toBe(2);
    mode = 'invalid';
    await after(180_000);
    expect(s.byLogicalId('Q').size).toBe(2);
    mode = 'ok';
    await after(180_000);
    expect(s.byLogicalId('Q').size).toBe(0);
    expect(reports.map((r) => [r.failed, !!r.error])).toEqual([[2, true], [2, true], [0, false]]);
  });

  it('paused, it takes nothing and counts as idle; resumed, it delivers', async () => {
    const bodies: string[] = [];
    const { source, send } = await withSource(async (_fn, event) => {
      bodies.push(...(event as { Records: { body: string }[] }).Records.map((r) => r.body));
      return { ok: true, payload: {}, ms: 1 };
    }, consumer({ maximumBatchingWindowSeconds: 0 }));
    source.pause();
    await send(['held']);
    await source.idle();
    expect(bodies).toEqual([]);
    source.resume();
    await source.pump();
    await source.idle();
    expect(bodies).toEqual(['held']);
  });
});
