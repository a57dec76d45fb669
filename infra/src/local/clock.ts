/**
 * The local stack's clock (`npm start -- --date 2027-03-15`): a small file holding an anchor
 * ("at real instant R the stack's time was V", functions/src/lib/clock.ts reads it). The clock
 * is not frozen: it advances from V at the real rate, as a phone does after its date is changed.
 * Every process of the stack reads the same file, so the API, the scheduler, the local SQS and
 * the store's TTL sweeper agree; tests move time forward with `advance` instead of sleeping.
 * Writes are atomic (temporary file + rename), so a reader never sees half an anchor.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { instantOf, isLocalDate } from '@jiayi/shared/domain/dates';
import { instantFromAnchor, readAnchor, type ClockAnchor } from '../../../functions/src/lib/clock';

export class LocalClock {
  private constructor(readonly file: string) {}

  /** A clock file at `file` reading `start` now. */
  static create(file: string, start: Date): LocalClock {
    mkdirSync(path.dirname(file), { recursive: true });
    const c = new LocalClock(file);
    c.set(start);
    return c;
  }

  /** An existing clock file (another process's stack, e.g. a test's). */
  static open(file: string): LocalClock {
    readAnchor(file);
    return new LocalClock(file);
  }

  now(): Date {
    return instantFromAnchor(readAnchor(this.file), Date.now());
  }

  nowMs(): number {
    return this.now().getTime();
  }

  /** The stack's time becomes `at` (and keeps advancing from there). */
  set(at: Date): void {
    if (Number.isNaN(at.getTime())) throw new RangeError('invalid instant for the local clock');
    const anchor: ClockAnchor = { v: 1, at: at.toISOString(), realMs: Date.now() };
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(anchor));
    renameSync(tmp, this.file);
  }

  /** Moves the stack's time forward (or back, with a negative amount) by `ms`. */
  advance(ms: number): Date {
    const next = new Date(this.nowMs() + ms);
    this.set(next);
    return next;
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }
}

/**
 * The instant `--date` names: `YYYY-MM-DD` keeps the current Asia/Shanghai time of day on that
 * date (what changing a phone's date does); `YYYY-MM-DDTHH:mm` is that Asia/Shanghai instant.
 * Returns a message instead of throwing so the CLI can print it.
 */
export function parseStartDate(value: string, systemNow: Date = new Date()): Date | { error: string } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (!m || !isLocalDate(m[1]!)) return { error: `--date must look like 2027-03-15 or 2027-03-15T08:30 (Asia/Shanghai), got "${value}"` };
  if (m[2] !== undefined) {
    if (Number(m[2]) > 23 || Number(m[3]) > 59) return { error: `--date has an invalid time of day: "${value}"` };
    return instantOf(m[1]!, `${m[2]}:${m[3]}`);
  }
  // Milliseconds since Shanghai midnight of the system's current day, applied to the chosen date.
  const shanghaiMs = (systemNow.getTime() + 8 * 3_600_000) % 86_400_000;
  return new Date(instantOf(m[1]!).getTime() + shanghaiMs);
}
