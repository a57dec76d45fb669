/** Default time an unpaid agreement holds its places (minutes); UNPAID_HOLD_MINUTES overrides it. */
export const DEFAULT_UNPAID_HOLD_MINUTES = 30;

/** Instant arithmetic on ISO strings (pure). */
export function addMinutesIso(iso: string, minutes: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${iso}`);
  return new Date(t + minutes * 60_000).toISOString();
}

/** `YYYY-MM` of an Asia/Shanghai local date. */
export function monthOf(localDate: string): string {
  return localDate.slice(0, 7);
}
