/** A send job: one tip for one signed resident in one quarter (one SQS message). */
import * as z from 'zod';

export const pushJob = z.object({
  v: z.literal(1),
  jobId: z.string(),
  runId: z.string(),
  quarter: z.string(),
  regionId: z.string(),
  institutionId: z.string(),
  teamId: z.string(),
  shard: z.number().int(),
  agreementId: z.string(),
  accountId: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  /** The member's idHash: the exactly-once key. Never logged. */
  memberKey: z.string(),
  tipId: z.string(),
  repeat: z.boolean(),
  plannedAt: z.string(),
});
export type PushJob = z.infer<typeof pushJob>;
