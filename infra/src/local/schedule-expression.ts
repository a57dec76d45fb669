/**
 * EventBridge schedule expressions as serverless.yml writes them, evaluated in UTC like
 * EventBridge does (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
 *
 *   rate(1 minute) | rate(5 minutes) | rate(1 hour) | rate(2 days)
 *   cron(minutes hours day-of-month month day-of-week year)   e.g. cron(5 16 L 3,6,9,12 ? *)
 *
 * The cron fields are evaluated by cron-parser (the library node-schedule uses) after turning
 * EventBridge's dialect into its own: `?` is `*`, EventBridge numbers weekdays 1-7 from Sunday
 * (cron-parser 0-6), and the sixth field is a year, which cron-parser has no field for and is
 * checked here. `W` (nearest weekday) is not supported and is refused at start.
 * Pure: the instant to search from is a parameter.
 */
import cronParser from 'cron-parser';

export type ScheduleExpression =
  | { kind: 'rate'; expression: string; everyMs: number }
  | { kind: 'cron'; expression: string; fields: string; years: (y: number) => boolean; yearRange: [number, number] };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** EventBridge weekday numbers (1 = SUN … 7 = SAT) → cron-parser's (0 = SUN … 6 = SAT). */
function weekdayField(f: string, expression: string): string {
  if (f === '?' || f === '*') return '*';
  return f
    .split(',')
    .map((part) => {
      if (/W/i.test(part) || part === 'L') throw new Error(`${expression}: "${part}" in day-of-week is not supported by the local scheduler`);
      return part.replace(/^(\d)(?=$|[-#L/])|(?<=-)(\d)/g, (d) => {
        const n = Number(d);
        if (n < 1 || n > 7) throw new Error(`${expression}: day-of-week numbers run from 1 (SUN) to 7 (SAT)`);
        return String(n - 1);
      });
    })
    .join(',');
}

function yearMatcher(f: string, expression: string): { years: (y: number) => boolean; yearRange: [number, number] } {
  if (f === '*' || f === '?') return { years: () => true, yearRange: [1970, 2199] };
  const bounds: number[] = [];
  const tests = f.split(',').map((part) => {
    const m = /^(\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`${expression}: year field "${f}" is not understood`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[3] ? 2199 : from;
    const step = m[3] ? Number(m[3]) : 1;
    bounds.push(from, to);
    return (y: number) => y >= from && y <= to && (y - from) % step === 0;
  });
  return { years: (y) => tests.some((t) => t(y)), yearRange: [Math.min(...bounds), Math.max(...bounds)] };
}

export function parseScheduleExpression(expression: string): ScheduleExpression {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!.replace(/s$/, '');
    if (n < 1) throw new Error(`${expression}: the rate must be at least 1`);
    if ((n === 1) !== (rate[2] === unit)) throw new Error(`${expression}: EventBridge wants "1 ${unit}" but "${n} ${unit}s"`);
    return { kind: 'rate', expression, everyMs: n * UNIT_MS[unit]! };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) throw new Error(`${expression}: not a rate(...) or cron(...) expression`);
  const f = cron[1]!.trim().split(/\s+/);
  if (f.length !== 6) throw new Error(`${expression}: EventBridge cron has six fields (minutes hours day-of-month month day-of-week year)`);
  const [min, hour, dom, month, dow, year] = f as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new Error(`${expression}: exactly one of day-of-month and day-of-week must be "?"`);
  if (/W/i.test(dom)) throw new Error(`${expression}: "W" in day-of-month is not supported by the local scheduler`);
  const fields = `${min} ${hour} ${dom === '?' ? '*' : dom} ${month} ${weekdayField(dow, expression)}`;
  cronParser.parseExpression(fields, { utc: true }); // throws on a malformed field
  return { kind: 'cron', expression, fields, ...yearMatcher(year, expression) };
}

/** Steps through cron-parser's occurrences until one falls in the year field; null past the range. */
function firstInYears(s: { years: (y: number) => boolean }, step: () => Date): Date | null {
  for (let i = 0; i < 10_000; i++) {
    let d: Date;
    try {
      d = step();
    } catch {
      return null; // beyond start/endDate: no occurrence in the year range
    }
    if (s.years(d.getUTCFullYear())) return d;
  }
  return null;
}

/**
 * The first occurrence strictly after `after`, or null when there is none (a year list in the
 * past). A rate counts from `origin` (EventBridge counts from the rule's creation; the local
 * stack from its start).
 */
export function nextOccurrence(s: ScheduleExpression, after: Date, origin: Date): Date | null {
  if (s.kind === 'rate') {
    const k = Math.floor((after.getTime() - origin.getTime()) / s.everyMs) + 1;
    return new Date(origin.getTime() + Math.max(1, k) * s.everyMs);
  }
  if (after.getUTCFullYear() > s.yearRange[1]) return null;
  const it = cronParser.parseExpression(s.fields, { utc: true, currentDate: after, endDate: new Date(Date.UTC(s.yearRange[1] + 1, 0, 1)) });
  return firstInYears(s, () => it.next().toDate());
}

/** The last occurrence at or before `at`, or null when there is none since `origin` (a rate) or at all. */
export function previousOccurrence(s: ScheduleExpression, at: Date, origin: Date): Date | null {
  if (s.kind === 'rate') {
    const k = Math.floor((at.getTime() - origin.getTime()) / s.everyMs);
    return k >= 1 ? new Date(origin.getTime() + k * s.everyMs) : null;
  }
  if (at.getUTCFullYear() < s.yearRange[0]) return null;
  const it = cronParser.parseExpression(s.fields, { utc: true, currentDate: new Date(at.getTime() + 1), startDate: new Date(Date.UTC(s.yearRange[0], 0, 1)) });
  return firstInYears(s, () => it.prev().toDate());
}
