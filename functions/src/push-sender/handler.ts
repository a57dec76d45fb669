/**
 * SQS consumer of push jobs (functionResponseType ReportBatchItemFailures): each message is one
 * job; the ids of jobs that failed (store errors) are reported so SQS retries only those, and
 * dead-letters them after maxReceiveCount (serverless.yml). A body that is not a job is reported
 * too, so it ends in the dead-letter queue for inspection instead of vanishing.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { notifySendersFromConfig, type NotifySenders } from '../adapters/notify';
import { pushJob, type PushJob } from '../push/jobs';
import { processJobs } from '../push/sender';
import { environment } from '../lib/config';
import { log } from '../lib/log';
import { now } from '../lib/clock';

let senders: NotifySenders | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  senders ??= notifySendersFromConfig(environment());
  const failures: { itemIdentifier: string }[] = [];
  const jobs: { job: PushJob; messageId: string }[] = [];
  for (const r of event.Records) {
    let parsed;
    try {
      parsed = pushJob.safeParse(JSON.parse(r.body));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) jobs.push({ job: parsed.data, messageId: r.messageId });
    else {
      log.error('push job malformed', { messageId: r.messageId });
      failures.push({ itemIdentifier: r.messageId });
    }
  }
  const { failedJobIds } = await processJobs(
    jobs.map((j) => j.job),
    { senders, now },
  );
  for (const j of jobs) if (failedJobIds.includes(j.job.jobId)) failures.push({ itemIdentifier: j.messageId });
  return { batchItemFailures: failures };
}
