/**
 * Local dates in China (Asia/Shanghai, UTC+8, no daylight saving since 1991).
 * A LocalDate is an ISO calendar date string `YYYY-MM-DD`. Pure: callers pass `now`.
 */
export type LocalDate = string;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, month: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export function parts(d: LocalDate): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(d);
  if (!m) throw new RangeError(`not a local date: ${d}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function makeDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The Asia/Shanghai calendar date of an instant. */
export function localDateOf(instant: Date | string | number): LocalDate {
  const t = new Date(instant).getTime() + SHANGHAI_OFFSET_MS;
  const u = new Date(t);
  return makeDate(u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate());
}

/** Asia/Shanghai wall-clock time `HH:MM` of an instant. */
export function localTimeOf(instant: Date | string | number): string {
  const u = new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS);
  return `${String(u.getUTCHours()).padStart(2, '0')}:${String(u.getUTCMinutes()).padStart(2, '0')}`;
}

/** The instant at which a local date + `HH:MM` wall-clock time happens in Asia/Shanghai. */
export function instantOf(date: LocalDate, time = '00:00'): Date {
  const { year, month, day } = parts(date);
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, day, h, mi) - SHANGHAI_OFFSET_MS);
}

function toUtcDays(d: LocalDate): number {
  const { year, month, day } = parts(d);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

function fromUtcDays(n: number): LocalDate {
  const u = new Date(n * 86_400_000);
  return makeDate(u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate());
}

export function addDays(d: LocalDate, n: number): LocalDate {
  return fromUtcDays(toUtcDays(d) + n);
}

/** Days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toUtcDays(b) - toUtcDays(a);
}

/** Add calendar months; the day is clamped to the end of the target month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: LocalDate, n: number): LocalDate {
  const { year, month, day } = parts(d);
  const total = year * 12 + (month - 1) + n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return makeDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export function addYears(d: LocalDate, n: number): LocalDate {
  return addMonths(d, n * 12);
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}

/** Whole years of age on `on` for someone born on `birth` (a 29 Feb birthday counts from 1 Mar in non-leap years). */
export function ageOn(birth: LocalDate, on: LocalDate): number {
  const b = parts(birth);
  const o = parts(on);
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age -= 1;
  return age;
}

export type Quarter = `${number}Q${1 | 2 | 3 | 4}`;

export function quarterOf(d: LocalDate): Quarter {
  const { year, month } = parts(d);
  return `${year}Q${(Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4}`;
}

export function quarterRange(q: Quarter | string): { start: LocalDate; end: LocalDate } {
  const m = /^(\d{4})Q([1-4])$/.exec(q);
  if (!m) throw new RangeError(`not a quarter: ${q}`);
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  return { start: makeDate(year, first, 1), end: makeDate(year, first + 2, daysInMonth(year, first + 2)) };
}

export function isQuarter(q: string): q is Quarter {
  return /^(\d{4})Q([1-4])$/.test(q);
}
