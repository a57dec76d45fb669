/**
 * The local EventBridge: runs every `schedule` event of serverless.yml on the local clock, by
 * invoking the function through serverless-offline (which is told not to schedule them itself,
 * infra/serverless/offline-schedules-off.cjs, so nothing runs twice).
 *
 * - Occurrences are computed in UTC from the expression (schedule-expression.ts); a rate counts
 *   from the stack's start.
 * - The clock may jump (a test moves it, or the stack starts at `--date`): every schedule with at
 *   least one occurrence in the skipped interval runs once, not once per missed occurrence, as
 *   anacron does — a quarter's jump runs the daily job once, not ninety times. Every job is
 *   idempotent (it acts on the state as of "now"), so one run catches up all of them.
 * - `catchUp()` (at start) runs each scheduled function once, in the order of their latest
 *   occurrence, so a stack that was down, or that starts at another date, is where the cloud
 *   would be: the cycle jobs have run, this quarter's tips are planned.
 * - Runs due together go one after another in the order of their latest occurrence.
 * - The same function never runs twice at once; a run that comes due meanwhile starts after it.
 * The log says what ran, at which stack time, with the function's own summary.
 */
import { localDateOf, localTimeOf } from '@jiayi/shared/domain/dates';
import { nextOccurrence, parseScheduleExpression, previousOccurrence, type ScheduleExpression } from './schedule-expression';
import type { ScheduleSpec } from './serverless-config';
import type { Invoker } from './lambda-invoke';

interface Entry {
  spec: ScheduleSpec;
  expr: ScheduleExpression;
  next: Date | null;
}

export interface RunRecord {
  functionKey: string;
  expression: string;
  /** The occurrence (stack time) the run is for. */
  scheduledFor: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** The event EventBridge hands a scheduled function (or the schedule's constant `input`). */
export function scheduledEvent(spec: ScheduleSpec, at: Date): unknown {
  if (spec.input !== undefined) return spec.input;
  return {
    version: '0',
    id: globalThis.crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'cn-northwest-1',
    resources: [`arn:aws:events:cn-northwest-1:000000000000:rule/${spec.functionName}-local`],
    detail: {},
  };
}

/** Per function the schedule with the latest occurrence, ordered by that occurrence. */
function latestPerFunction<T extends { e: Entry; at: Date }>(items: T[]): T[] {
  const best = new Map<string, T>();
  for (const i of items) {
    const b = best.get(i.e.spec.functionKey);
    if (!b || i.at.getTime() > b.at.getTime()) best.set(i.e.spec.functionKey, i);
  }
  return [...best.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}

function summary(result: unknown): string {
  const s = JSON.stringify(result ?? null);
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

export class LocalScheduler {
  private readonly entries: Entry[];
  private readonly running = new Map<string, Promise<void>>();
  private readonly origin: Date;
  private lastNow: Date;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  readonly history: RunRecord[] = [];

  constructor(
    private readonly opts: {
      schedules: ScheduleSpec[];
      invoke: Invoker;
      now: () => Date;
      log?: (line: string) => void;
      /**
       * Awaited after each run of a catch-up or of runs due together (the stack: until the queues
       * are idle), so a job sees what the one before it enqueued delivered, as it would in the cloud.
       */
      settle?: () => Promise<void>;
    },
  ) {
    this.origin = opts.now();
    this.lastNow = this.origin;
    this.entries = opts.schedules.map((spec) => {
      const expr = parseScheduleExpression(spec.expression);
      return { spec, expr, next: nextOccurrence(expr, this.origin, this.origin) };
    });
  }

  /** Schedules and their next occurrence (stack time), for the start-up banner. */
  describe(): { functionKey: string; expression: string; next: Date | null }[] {
    return this.entries.map((e) => ({ functionKey: e.spec.functionKey, expression: e.spec.expression, next: e.next }));
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private async run(spec: ScheduleSpec, at: Date, why: string): Promise<void> {
    const previous = this.running.get(spec.functionKey);
    if (previous) await previous;
    const p = (async () => {
      const r = await this.opts.invoke(spec.functionName, scheduledEvent(spec, at));
      const when = `${localDateOf(at)} ${localTimeOf(at)}`;
      const rec: RunRecord = { functionKey: spec.functionKey, expression: spec.expression, scheduledFor: at.toISOString(), ok: r.ok };
      if (r.ok) {
        rec.result = r.payload;
        this.log(`[schedule] ${when} ${spec.functionKey} ${spec.expression}${why} → ${summary(r.payload)} (${r.ms} ms)`);
      } else {
        rec.error = r.error;
        this.log(`[schedule] ${when} ${spec.functionKey} ${spec.expression}${why} FAILED: ${r.error}`);
      }
      this.history.push(rec);
      if (this.history.length > 1000) this.history.splice(0, 500);
    })();
    this.running.set(spec.functionKey, p);
    try {
      await p;
    } finally {
      if (this.running.get(spec.functionKey) === p) this.running.delete(spec.functionKey);
    }
  }

  /**
   * Runs each scheduled function once, as of now, one after another in the order of their latest
   * occurrence — the order the cloud would have run them in (the quarter's push planner at 00:05
   * before the daily cycle job at 00:30, rate jobs last).
   */
  async catchUp(): Promise<void> {
    const now = this.opts.now();
    const latest = (e: Entry) => (e.expr.kind === 'rate' ? now : previousOccurrence(e.expr, now, new Date(0)) ?? new Date(0));
    for (const { e } of latestPerFunction(this.entries.map((e) => ({ e, at: latest(e) })))) {
      await this.run(e.spec, now, ' (start-up catch-up)');
      await this.opts.settle?.();
    }
  }

  /**
   * Starts every schedule whose next occurrence has come (once, however many were skipped) and
   * resolves when those runs have finished.
   */
  async tick(): Promise<void> {
    // A tick already under way (the timer's) is awaited, then this caller's own tick runs, so it
    // sees every run due as of its call.
    while (this.current) await this.current;
    this.current = this.tickOnce().finally(() => (this.current = undefined));
    return this.current;
  }

  private async tickOnce(): Promise<void> {
    const now = this.opts.now();
    if (now.getTime() < this.lastNow.getTime() - 1000) {
      // The clock moved back: schedules count again from the new time.
      for (const e of this.entries) e.next = nextOccurrence(e.expr, now, this.origin);
    }
    this.lastNow = now;
    const due: { e: Entry; at: Date; missed: boolean }[] = [];
    for (const e of this.entries) {
      if (!e.next || e.next.getTime() > now.getTime()) continue;
      const at = previousOccurrence(e.expr, now, this.origin) ?? e.next;
      due.push({ e, at, missed: at.getTime() > e.next.getTime() });
      e.next = nextOccurrence(e.expr, now, this.origin);
    }
    // In the order of their latest occurrence, one after another (as the cloud would have run
    // them); two schedules of one function due together (a jump over both) share one run.
    for (const d of latestPerFunction(due)) {
      await this.run(d.e.spec, d.at, d.missed ? ' (missed occurrences since run once)' : '');
      await this.opts.settle?.();
    }
  }

  start(tickMs = 1000): void {
    this.timer = setInterval(() => void this.tick(), tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.running.values());
  }
}
