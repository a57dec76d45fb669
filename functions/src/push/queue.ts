/**
 * The send-job queue behind a tiny interface (issue 7): on AWS an SQS queue (SendMessageBatch,
 * 10 per call) consumed by the push-sender Lambda; locally (serverless-offline ignores sqs
 * events) an in-memory queue that the planner script and the tests drain in-process through the
 * same `processJobs` the Lambda runs.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { environment } from '../lib/config';
import type { PushJob } from './jobs';

export interface PushQueue {
  /** Enqueues up to 10 jobs (one SendMessageBatch); throws when some could not be enqueued after retries. */
  sendBatch(jobs: PushJob[]): Promise<void>;
}

export const SQS_BATCH_SIZE = 10;

/** Keeps jobs in memory; `drain` hands them to the sender in batches of 10, like the SQS event source. */
export class InMemoryPushQueue implements PushQueue {
  readonly jobs: PushJob[] = [];
  batches = 0;
  async sendBatch(jobs: PushJob[]): Promise<void> {
    if (jobs.length > SQS_BATCH_SIZE) throw new RangeError(`at most ${SQS_BATCH_SIZE} jobs per batch`);
    this.batches += 1;
    this.jobs.push(...structuredClone(jobs));
  }
  /**
   * Runs the queued jobs through `consume` (batches of 10, like an SQS event); failed jobs are
   * retried up to `maxReceiveCount` times in all, then kept in `deadLetters` (the DLQ).
   */
  async drain(consume: (batch: PushJob[]) => Promise<{ failedJobIds: string[] }>, maxReceiveCount = 5): Promise<{ processed: number; deadLetters: PushJob[] }> {
    const receives = new Map<string, number>();
    const deadLetters: PushJob[] = [];
    let processed = 0;
    while (this.jobs.length) {
      const batch = this.jobs.splice(0, SQS_BATCH_SIZE);
      const { failedJobIds } = await consume(batch);
      processed += batch.length;
      for (const job of batch.filter((j) => failedJobIds.includes(j.jobId))) {
        const n = (receives.get(job.jobId) ?? 1) + 1;
        receives.set(job.jobId, n);
        if (n > maxReceiveCount) deadLetters.push(job);
        else this.jobs.push(job);
      }
    }
    return { processed, deadLetters };
  }
}

/** Counts what would be sent (benchmarks). */
export class CountingPushQueue implements PushQueue {
  count = 0;
  batches = 0;
  async sendBatch(jobs: PushJob[]): Promise<void> {
    this.batches += 1;
    this.count += jobs.length;
  }
}

class Sha256 {
  private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret ? createHmac('sha256', toBuffer(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    /* a fresh instance is made per signature */
  }
}

function toBuffer(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

/**
 * SQS SendMessageBatch over the AWS JSON 1.0 protocol, signed with SigV4 using the Lambda's role
 * credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
 * The repo carries no SQS SDK client; this is the one call the planner makes. Failed entries
 * (throttling, server faults) are retried with backoff; sender faults throw.
 */
export class SqsPushQueue implements PushQueue {
  private readonly url: URL;
  private readonly region: string;
  constructor(
    private readonly queueUrl: string,
    private readonly opts: { env?: NodeJS.ProcessEnv; fetch?: typeof fetch; maxAttempts?: number } = {},
  ) {
    this.url = new URL(queueUrl);
    const env = opts.env ?? environment();
    this.region = /sqs\.([a-z0-9-]+)\./.exec(this.url.hostname)?.[1] ?? env.AWS_REGION ?? 'cn-northwest-1';
  }

  async sendBatch(jobs: PushJob[]): Promise<void> {
    if (jobs.length > SQS_BATCH_SIZE) throw new RangeError(`at most ${SQS_BATCH_SIZE} jobs per batch`);
    let pending = jobs.map((j, i) => ({ Id: String(i), MessageBody: JSON.stringify(j) }));
    const max = this.opts.maxAttempts ?? 5;
    for (let attempt = 1; pending.length; attempt++) {
      const res = await this.call('SendMessageBatch', { QueueUrl: this.queueUrl, Entries: pending });
      const failed = (res.Failed ?? []) as { Id: string; SenderFault: boolean; Code: string }[];
      const senderFault = failed.find((f) => f.SenderFault);
      if (senderFault) throw new Error(`SQS refused a push job: ${senderFault.Code}`);
      pending = pending.filter((e) => failed.some((f) => f.Id === e.Id));
      if (pending.length && attempt >= max) throw new Error(`SQS did not take ${pending.length} push jobs after ${max} attempts`);
      if (pending.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }

  private async call(action: string, payload: unknown): Promise<Record<string, unknown>> {
    const env = this.opts.env ?? environment();
    const signer = new SignatureV4({
      service: 'sqs',
      region: this.region,
      sha256: Sha256,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      },
    });
    const body = JSON.stringify(payload);
    const signed = await signer.sign({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port ? Number(this.url.port) : undefined,
      path: '/',
      query: {},
      headers: {
        host: this.url.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
      },
      body,
    });
    const res = await (this.opts.fetch ?? fetch)(`${this.url.origin}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`SQS ${action} failed: HTTP ${res.status} ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
}
