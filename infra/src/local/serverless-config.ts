/**
 * What the local stack needs from serverless.yml, read from the file itself (never duplicated):
 * every `schedule` event, every `sqs` event with its batch settings, and every SQS queue of
 * `resources` with its visibility timeout and redrive policy. Only the literal values these
 * settings use in serverless.yml are understood; anything the local stack cannot honour (a FIFO
 * queue, an unknown queue reference) is an error at start rather than a silent difference.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export const SERVERLESS_FILE = path.resolve(__dirname, '../../../serverless.yml');
export const LOCAL_STAGE = 'local';

export interface ScheduleSpec {
  functionKey: string;
  /** The Lambda function name (`<service>-<stage>-<key>`), as serverless-offline's invoke API knows it. */
  functionName: string;
  /** `rate(5 minutes)` or `cron(5 16 L 3,6,9,12 ? *)`, exactly as written. */
  expression: string;
  input?: unknown;
}

export interface QueueSpec {
  logicalId: string;
  queueName: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  delaySeconds: number;
  redrive?: { deadLetterLogicalId: string; maxReceiveCount: number };
}

export interface ConsumerSpec {
  functionKey: string;
  functionName: string;
  queueLogicalId: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency: number;
}

export interface LocalServerlessConfig {
  service: string;
  stage: string;
  schedules: ScheduleSpec[];
  queues: QueueSpec[];
  consumers: ConsumerSpec[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** `${self:service}` and `${sls:stage}`: the only variables the settings read here may use. */
function resolveVars(s: string, service: string, stage: string): string {
  const out = s.replace(/\$\{self:service\}/g, service).replace(/\$\{sls:stage\}/g, stage);
  if (out.includes('${')) throw new Error(`serverless.yml: the local stack cannot resolve "${s}"`);
  return out;
}

function logicalIdOf(ref: unknown, what: string): string {
  if (isObj(ref) && Array.isArray(ref['Fn::GetAtt']) && ref['Fn::GetAtt'][1] === 'Arn') return String(ref['Fn::GetAtt'][0]);
  throw new Error(`serverless.yml: ${what} must be { Fn::GetAtt: [<Queue>, Arn] } for the local stack`);
}

function num(v: unknown, dflt: number, what: string): number {
  if (v === undefined) return dflt;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`serverless.yml: ${what} must be a number`);
  return n;
}

export function parseServerlessConfig(text: string, stage = LOCAL_STAGE): LocalServerlessConfig {
  const doc = yaml.load(text) as Obj;
  const service = String(doc.service);
  const functions = (isObj(doc.functions) ? doc.functions : {}) as Record<string, Obj>;
  const schedules: ScheduleSpec[] = [];
  const consumers: ConsumerSpec[] = [];
  for (const [functionKey, fn] of Object.entries(functions)) {
    const functionName = `${service}-${stage}-${functionKey}`;
    for (const ev of (fn.events as Obj[] | undefined) ?? []) {
      if ('schedule' in ev) {
        const s = ev.schedule;
        if (typeof s === 'string') schedules.push({ functionKey, functionName, expression: s });
        else if (isObj(s)) {
          if (s.enabled === false) continue;
          const rates = Array.isArray(s.rate) ? s.rate : [s.rate];
          for (const r of rates) schedules.push({ functionKey, functionName, expression: String(r), ...(s.input !== undefined && { input: s.input }) });
        }
      }
      if ('sqs' in ev) {
        const q = ev.sqs as Obj;
        if (q.enabled === false) continue;
        consumers.push({
          functionKey,
          functionName,
          queueLogicalId: logicalIdOf(q.arn, `functions.${functionKey} sqs.arn`),
          batchSize: num(q.batchSize, 10, 'sqs.batchSize'),
          maximumBatchingWindowSeconds: num(q.maximumBatchingWindow, 0, 'sqs.maximumBatchingWindow'),
          reportBatchItemFailures: q.functionResponseType === 'ReportBatchItemFailures',
          maximumConcurrency: num(q.maximumConcurrency, 1000, 'sqs.maximumConcurrency'),
        });
      }
    }
  }
  const resources = Array.isArray(doc.resources) ? doc.resources : [doc.resources];
  const queues: QueueSpec[] = [];
  for (const block of resources) {
    // `${file(infra/dynamodb-table.yml)}` entries are the table, created by tables.ts.
    if (!isObj(block) || !isObj(block.Resources)) continue;
    for (const [logicalId, res] of Object.entries(block.Resources as Record<string, Obj>)) {
      if (res.Type !== 'AWS::SQS::Queue') continue;
      const p = (res.Properties ?? {}) as Obj;
      if (p.FifoQueue) throw new Error(`serverless.yml: ${logicalId} is FIFO; the local SQS implements standard queues only`);
      const redrive = p.RedrivePolicy as Obj | undefined;
      queues.push({
        logicalId,
        queueName: p.QueueName ? resolveVars(String(p.QueueName), service, stage) : `${service}-${stage}-${logicalId}`,
        visibilityTimeoutSeconds: num(p.VisibilityTimeout, 30, `${logicalId}.VisibilityTimeout`),
        retentionSeconds: num(p.MessageRetentionPeriod, 345_600, `${logicalId}.MessageRetentionPeriod`),
        delaySeconds: num(p.DelaySeconds, 0, `${logicalId}.DelaySeconds`),
        ...(redrive && {
          redrive: {
            deadLetterLogicalId: logicalIdOf(redrive.deadLetterTargetArn, `${logicalId}.RedrivePolicy.deadLetterTargetArn`),
            maxReceiveCount: num(redrive.maxReceiveCount, 10, `${logicalId}.RedrivePolicy.maxReceiveCount`),
          },
        }),
      });
    }
  }
  const ids = new Set(queues.map((q) => q.logicalId));
  for (const q of queues) if (q.redrive && !ids.has(q.redrive.deadLetterLogicalId)) throw new Error(`serverless.yml: ${q.logicalId}'s dead-letter queue ${q.redrive.deadLetterLogicalId} is not defined`);
  for (const c of consumers) if (!ids.has(c.queueLogicalId)) throw new Error(`serverless.yml: ${c.functionKey} consumes ${c.queueLogicalId}, which is not defined`);
  return { service, stage, schedules, queues, consumers };
}

export function loadServerlessConfig(file = SERVERLESS_FILE, stage = LOCAL_STAGE): LocalServerlessConfig {
  return parseServerlessConfig(fs.readFileSync(file, 'utf8'), stage);
}
