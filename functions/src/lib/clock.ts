/**
 * The clock every handler and job reads (`now()`), instead of `new Date()`.
 *
 * Deployed stages: the system clock, always (config.ts refuses LOCAL_CLOCK_FILE there).
 * Local stack (`npm start -- --date 2027-03-15`): the local clock file written by
 * infra/src/local/clock.ts. It holds an anchor — "at real instant R the stack's time was V" — and
 * the clock advances from V at the real rate, so every process of the stack (API workers, the
 * scheduler, the local SQS, the store's TTL sweeper) agrees on the time, and a test can move it
 * forward by rewriting the anchor (never by sleeping). The file is read at every call: it is a
 * few bytes, and a jump must be seen by the very next request.
 */
import { readFileSync } from 'node:fs';
import { config } from './config';

/** The clock file's content (written atomically by infra/src/local/clock.ts). */
export interface ClockAnchor {
  v: 1;
  /** The stack's instant (ISO) at `realMs`. */
  at: string;
  /** Epoch milliseconds of the system clock when `at` was set. */
  realMs: number;
}

/** The stack's instant for an anchor, `systemMs` being the system clock now. */
export function instantFromAnchor(anchor: ClockAnchor, systemMs: number): Date {
  return new Date(Date.parse(anchor.at) + (systemMs - anchor.realMs));
}

export function parseAnchor(text: string, file: string): ClockAnchor {
  let a: Partial<ClockAnchor>;
  try {
    a = JSON.parse(text) as Partial<ClockAnchor>;
  } catch {
    throw new Error(`local clock file ${file} is not JSON`);
  }
  if (a.v !== 1 || typeof a.at !== 'string' || Number.isNaN(Date.parse(a.at)) || typeof a.realMs !== 'number') {
    throw new Error(`local clock file ${file} is malformed`);
  }
  return a as ClockAnchor;
}

/** Reads the anchor of a clock file; throws (never falls back to the system clock silently). */
export function readAnchor(file: string): ClockAnchor {
  return parseAnchor(readFileSync(file, 'utf8'), file);
}

/** Now, for this process: the local clock when the stack runs on one, else the system clock. */
export function now(): Date {
  const file = config().localClockFile;
  return file ? instantFromAnchor(readAnchor(file), Date.now()) : new Date();
}
