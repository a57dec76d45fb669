/**
 * The local stand-in for Lambda's SQS event source mapping (serverless-offline ignores `sqs`
 * events), with the settings of the function's `sqs` event in serverless.yml:
 *
 * - batches of up to `batchSize`, gathered for up to `maximumBatchingWindow` seconds;
 * - `ReportBatchItemFailures`: the messages named in `batchItemFailures` stay on the queue (they
 *   come back after the visibility timeout and count a receive); every other message of the
 *   batch is deleted. An invalid response (unknown or empty itemIdentifier) fails the whole batch,
 *   as Lambda does;
 * - a function error (it threw, timed out) leaves the whole batch on the queue;
 * - the queue's redrive policy moves a message that keeps failing to the dead-letter queue.
 *
 * Up to `concurrency` batches run at once (Lambda scales to `maximumConcurrency`; this machine
 * runs two by default, JIAYI_LOCAL_SQS_CONCURRENCY).
 */
import type { SQSRecord } from 'aws-lambda';
import type { ConsumerSpec } from './serverless-config';
import type { LocalQueue, StoredMessage } from './sqs-queue';
import type { Invoker } from './lambda-invoke';

export interface BatchReport {
  functionKey: string;
  queue: string;
  size: number;
  failed: number;
  error?: string;
}

export class SqsEventSource {
  private inflight = 0;
  private gatheringSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private waiters: (() => void)[] = [];
  private off: (() => void) | undefined;
  private paused = false;
  private readonly concurrency: number;

  constructor(
    private readonly opts: {
      consumer: ConsumerSpec;
      queue: LocalQueue;
      invoke: Invoker;
      now: () => number;
      concurrency?: number;
      onBatch?: (r: BatchReport) => void;
    },
  ) {
    this.concurrency = Math.max(1, Math.min(opts.consumer.maximumConcurrency, opts.concurrency ?? 2));
  }

  start(tickMs = 200): void {
    this.off = this.opts.queue.onChange(() => void this.pump());
    this.timer = setInterval(() => void this.pump(), tickMs);
  }

  stop(): void {
    this.off?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Stops taking messages (like disabling the event source mapping): messages stay on the queue
   * until `resume()`. Tests use it to look at what is queued.
   */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    void this.pump();
  }

  /**
   * True when nothing is receivable and no batch is running (messages waiting out a visibility
   * timeout do not count), or when paused with no batch running.
   */
  isIdle(): boolean {
    return this.inflight === 0 && (this.paused || this.opts.queue.visibleCount() === 0);
  }

  /** Resolves once the consumer is idle. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const w = this.waiters.splice(0);
    for (const fn of w) fn();
  }

  /** Dispatches every batch that is due now. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    if (this.paused) return this.settle();
    this.pumping = true;
    try {
      const { consumer, queue } = this.opts;
      while (this.inflight < this.concurrency) {
        const visible = queue.visibleCount();
        if (visible === 0) {
          this.gatheringSince = undefined;
          break;
        }
        if (visible < consumer.batchSize && consumer.maximumBatchingWindowSeconds > 0) {
          const now = this.opts.now();
          this.gatheringSince ??= now;
          if (now - this.gatheringSince < consumer.maximumBatchingWindowSeconds * 1000) break;
        }
        this.gatheringSince = undefined;
        const batch = queue.receive(consumer.batchSize);
        if (!batch.length) break;
        this.inflight++;
        void this.run(batch).finally(() => {
          this.inflight--;
          void this.pump();
        });
      }
    } finally {
      this.pumping = false;
      this.settle();
    }
  }

  private record(m: StoredMessage): SQSRecord {
    const q = this.opts.queue.settings;
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle!,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: '000000000000',
        ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt ?? m.sentAt),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(m.messageAttributes).map(([k, v]) => [k, { dataType: v.DataType, stringValue: v.StringValue, binaryValue: v.BinaryValue, stringListValues: [], binaryListValues: [] }]),
      ),
      md5OfBody: m.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: q.arn,
      awsRegion: 'cn-northwest-1',
    };
  }

  private async run(batch: StoredMessage[]): Promise<void> {
    const { consumer, queue } = this.opts;
    const report: BatchReport = { functionKey: consumer.functionKey, queue: queue.settings.name, size: batch.length, failed: batch.length };
    const r = await this.opts.invoke(consumer.functionName, { Records: batch.map((m) => this.record(m)) });
    if (!r.ok) {
      report.error = r.error;
    } else {
      let keep: Set<string> | 'all' = new Set();
      if (consumer.reportBatchItemFailures) {
        const failures = (r.payload as { batchItemFailures?: unknown } | null)?.batchItemFailures;
        if (failures !== undefined && failures !== null) {
          const ids = Array.isArray(failures) ? failures.map((f) => (f as { itemIdentifier?: unknown })?.itemIdentifier) : [undefined];
          const known = new Set(batch.map((m) => m.messageId));
          if (ids.some((id) => typeof id !== 'string' || !known.has(id))) {
            keep = 'all';
            report.error = 'invalid batchItemFailures in the response: the whole batch is retried';
          } else keep = new Set(ids as string[]);
        }
      }
      if (keep !== 'all') {
        for (const m of batch) if (!keep.has(m.messageId)) queue.delete(m.receiptHandle!);
        report.failed = keep.size;
      }
    }
    this.opts.onBatch?.(report);
  }
}
