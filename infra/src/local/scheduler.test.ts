/**
 * The local EventBridge: schedule expressions at the calendar's edges (quarter ends, 31 Dec, Q4,
 * leap days; EventBridge evaluates in UTC, 16:05 UTC = 00:05 Asia/Shanghai the next day), the
 * scheduler's catch-up and jump semantics with a fake clock and invoker, the schedules read from
 * serverless.yml itself, and the `--date` parser.
 */
import { describe, expect, it } from 'vitest';
import { nextOccurrence, parseScheduleExpression, previousOccurrence } from './schedule-expression';
import { LocalScheduler } from './scheduler';
import { loadServerlessConfig, parseServerlessConfig, type ScheduleSpec } from './serverless-config';
import { parseStartDate } from './clock';
import type { Invoker } from './lambda-invoke';

const QUARTER_START = 'cron(5 16 L 3,6,9,12 ? *)';
const next = (expr: string, after: string, origin = after) => nextOccurrence(parseScheduleExpression(expr), new Date(after), new Date(origin))?.toISOString() ?? null;

describe('schedule expressions (EventBridge dialect, UTC)', () => {
  it.each([
    // The quarter planner: 00:05 Asia/Shanghai on 1 Jan/Apr/Jul/Oct = 16:05 UTC on the last day of Mar/Jun/Sep/Dec.
    [QUARTER_START, '2027-03-15T00:00:00Z', '2027-03-31T16:05:00.000Z'],
    [QUARTER_START, '2027-03-31T16:05:00Z', '2027-06-30T16:05:00.000Z'],
    [QUARTER_START, '2027-06-30T16:04:59Z', '2027-06-30T16:05:00.000Z'],
    [QUARTER_START, '2027-09-30T16:06:00Z', '2027-12-31T16:05:00.000Z'],
    // Q4 → next year's Q1 push, across 31 Dec.
    [QUARTER_START, '2027-12-31T16:05:00Z', '2028-03-31T16:05:00.000Z'],
    // The daily cycle job at 00:30 Asia/Shanghai, across 31 Dec and the leap day.
    ['cron(30 16 * * ? *)', '2027-12-31T16:30:00Z', '2028-01-01T16:30:00.000Z'],
    ['cron(30 16 * * ? *)', '2028-02-28T16:30:00Z', '2028-02-29T16:30:00.000Z'],
    ['cron(30 16 * * ? *)', '2027-02-28T16:30:00Z', '2027-03-01T16:30:00.000Z'],
    // L is the month's last day: 29 Feb in a leap year, 28 Feb otherwise.
    ['cron(0 12 L 2 ? *)', '2028-01-10T00:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['cron(0 12 L 2 ? *)', '2027-01-10T00:00:00Z', '2027-02-28T12:00:00.000Z'],
    // Weekly re-plan, Sunday 18:00 UTC (Monday 02:00 Asia/Shanghai); EventBridge numbers 1 = SUN.
    ['cron(0 18 ? * SUN *)', '2027-03-15T00:00:00Z', '2027-03-21T18:00:00.000Z'],
    ['cron(0 18 ? * 1 *)', '2027-03-15T00:00:00Z', '2027-03-21T18:00:00.000Z'],
    ['cron(0 9 ? * 2-6 *)', '2027-03-13T10:00:00Z', '2027-03-15T09:00:00.000Z'],
    ['cron(0 9 ? * 6L *)', '2027-03-01T00:00:00Z', '2027-03-26T09:00:00.000Z'],
    // The year field: nothing after the last listed year.
    ['cron(0 0 1 1 ? 2028)', '2027-05-01T00:00:00Z', '2028-01-01T00:00:00.000Z'],
    ['cron(0 0 1 1 ? 2028)', '2028-01-01T00:00:00Z', null],
  ])('%s after %s → %s', (expr, after, expected) => {
    expect(next(expr, after)).toBe(expected);
  });

  it('rates count from the origin (the stack start), not from the hour', () => {
    expect(next('rate(5 minutes)', '2027-03-15T01:03:00Z', '2027-03-15T01:01:30Z')).toBe('2027-03-15T01:06:30.000Z');
    expect(next('rate(1 hour)', '2027-12-31T23:59:00Z', '2027-12-31T23:30:00Z')).toBe('2028-01-01T00:30:00.000Z');
    expect(previousOccurrence(parseScheduleExpression('rate(2 minutes)'), new Date('2027-03-15T01:05:00Z'), new Date('2027-03-15T01:00:00Z'))?.toISOString()).toBe('2027-03-15T01:04:00.000Z');
    expect(previousOccurrence(parseScheduleExpression(QUARTER_START), new Date('2028-01-15T00:00:00Z'), new Date(0))?.toISOString()).toBe('2027-12-31T16:05:00.000Z');
  });

  it.each([
    ['rate(1 minutes)', /1 minute/],
    ['rate(5 minute)', /5 minutes/],
    ['cron(5 16 L 3,6,9,12 * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(5 16 * 3 ?)', /six fields/],
    ['cron(0 9 LW * ? *)', /not supported/],
    ['every day', /not a rate/],
  ])('refuses %s', (expr, message) => {
    expect(() => parseScheduleExpression(expr)).toThrow(message);
  });
});

function fakeScheduler(specs: Omit<ScheduleSpec, 'functionName'>[], start: string) {
  let t = new Date(start).getTime();
  const runs: { fn: string; event: unknown; at: string }[] = [];
  const invoke: Invoker = async (fn, event) => {
    runs.push({ fn, event, at: new Date(t).toISOString() });
    return { ok: true, payload: { ran: fn }, ms: 1 };
  };
  const lines: string[] = [];
  const s = new LocalScheduler({ schedules: specs.map((x) => ({ ...x, functionName: x.functionKey })), invoke, now: () => new Date(t), log: (l) => lines.push(l) });
  return { s, runs, lines, set: (iso: string) => (t = new Date(iso).getTime()) };
}

describe('LocalScheduler', () => {
  const specs = [
    { functionKey: 'expire', expression: 'rate(5 minutes)' },
    { functionKey: 'daily', expression: 'cron(30 16 * * ? *)' },
    { functionKey: 'planner', expression: QUARTER_START, input: { closePrevious: true } },
    { functionKey: 'planner', expression: 'cron(0 18 ? * SUN *)' },
  ];

  it('runs what is due once, with EventBridge\'s scheduled event, and logs it in stack time', async () => {
    const f = fakeScheduler(specs, '2027-03-15T01:00:00Z');
    await f.s.tick();
    expect(f.runs).toEqual([]);
    f.set('2027-03-15T01:05:00Z');
    await f.s.tick();
    await f.s.tick();
    expect(f.runs.map((r) => r.fn)).toEqual(['expire']);
    expect(f.runs[0]!.event).toMatchObject({ source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2027-03-15T01:05:00Z' });
    expect(f.lines).toEqual(['[schedule] 2027-03-15 09:05 expire rate(5 minutes) → {"ran":"expire"} (1 ms)']);
  });

  it('a jump runs each due function once, in the order of their latest occurrence (planner 00:05 before daily 00:30)', async () => {
    const f = fakeScheduler(specs, '2027-03-15T01:00:00Z');
    f.set('2027-03-31T17:00:00Z'); // 1 Apr 01:00 Asia/Shanghai
    await f.s.tick();
    expect(f.runs.map((r) => r.fn)).toEqual(['planner', 'daily', 'expire']);
    // The quarter-start schedule (its latest occurrence is the later one) with its constant input.
    expect(f.runs[0]!.event).toEqual({ closePrevious: true });
    expect(f.lines[1]).toMatch(/daily cron\(30 16 \* \* \? \*\) \(missed occurrences since run once\)/);
    await f.s.tick();
    expect(f.runs).toHaveLength(3);
  });

  it('the start-up catch-up runs every function once, in the order the cloud would have run them', async () => {
    const f = fakeScheduler(specs, '2027-04-01T00:00:00Z'); // 1 Apr 08:00 Asia/Shanghai
    await f.s.catchUp();
    expect(f.runs.map((r) => r.fn)).toEqual(['planner', 'daily', 'expire']);
    expect(f.runs[0]!.event).toEqual({ closePrevious: true });
    expect(f.lines.every((l) => l.includes('(start-up catch-up)'))).toBe(true);
  });
});

describe('serverless.yml is the source of the schedules and queues', () => {
  it('reads every schedule, the push queue with its redrive policy and the sender\'s batch settings', () => {
    const c = loadServerlessConfig();
    const keys = c.schedules.map((s) => s.functionKey);
    expect(keys).toEqual(expect.arrayContaining(['agreementsExpireUnpaid', 'agreementsDaily', 'pushPlanner', 'pushCatchUp', 'appointmentSlots', 'appointmentReminders']));
    for (const s of c.schedules) expect(() => parseScheduleExpression(s.expression)).not.toThrow();
    expect(c.schedules.find((s) => s.functionKey === 'pushPlanner' && s.input)).toMatchObject({ expression: QUARTER_START, input: { closePrevious: true }, functionName: 'jiayi-local-pushPlanner' });
    expect(c.queues.find((q) => q.logicalId === 'PushQueue')).toMatchObject({ queueName: 'jiayi-local-push', visibilityTimeoutSeconds: 180, redrive: { deadLetterLogicalId: 'PushDeadLetterQueue', maxReceiveCount: 5 } });
    expect(c.consumers).toEqual([
      { functionKey: 'pushSender', functionName: 'jiayi-local-pushSender', queueLogicalId: 'PushQueue', batchSize: 10, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true, maximumConcurrency: 50 },
    ]);
  });

  it('refuses what the local stack could not honour', () => {
    const yml = (q: string) => `service: s\nfunctions:\n  f:\n    handler: h\n    events:\n      - sqs: { arn: { Fn::GetAtt: [Q, Arn] } }\nresources:\n  - Resources:\n      Q:\n        Type: AWS::SQS::Queue\n        Properties: ${q}\n`;
    expect(() => parseServerlessConfig(yml('{ FifoQueue: true }'))).toThrow(/FIFO/);
    expect(() => parseServerlessConfig(yml('{ RedrivePolicy: { deadLetterTargetArn: { Fn::GetAtt: [Gone, Arn] }, maxReceiveCount: 2 } }'))).toThrow(/Gone/);
    expect(parseServerlessConfig(yml('{ VisibilityTimeout: 60 }')).queues[0]).toMatchObject({ queueName: 's-local-Q', visibilityTimeoutSeconds: 60 });
  });
});

describe('npm start -- --date', () => {
  const system = new Date('2026-12-02T01:31:00Z'); // 09:31 Asia/Shanghai
  it.each([
    ['2027-03-15', '2027-03-15T01:31:00.000Z'],
    ['2028-02-29', '2028-02-29T01:31:00.000Z'],
    ['2026-12-31', '2026-12-31T01:31:00.000Z'],
    ['2027-03-31T23:58', '2027-03-31T15:58:00.000Z'],
    ['2027-01-01T00:00', '2026-12-31T16:00:00.000Z'],
  ])('%s → %s (Asia/Shanghai; a date keeps the time of day)', (arg, iso) => {
    expect((parseStartDate(arg, system) as Date).toISOString()).toBe(iso);
  });

  it.each(['2027-02-29', '2027-13-01', '15/03/2027', '2027-03-15T24:00', 'tomorrow'])('refuses %s with a message', (arg) => {
    expect(parseStartDate(arg, system)).toEqual({ error: expect.stringMatching(/--date/) });
  });
});
