/**
 * Booking rules (issue 6), pure: every instant and date is a parameter. Limits come from the
 * region policy's `booking` block (BOOKING_DEFAULTS: 3 future appointments, cancel up to 120
 * minutes before, 3 no-shows within 90 days → 30 days without online booking).
 */
import { addDays, daysBetween, instantOf, localDateOf, parts, type LocalDate } from '../dates';
import type { BookingPolicy } from '../policy/types';

/** Default reminder time, the day before the appointment (Asia/Shanghai). */
export const DEFAULT_REMINDER_TIME = '18:00';

/** `2026年11月26日` */
export function dateText(d: LocalDate): string {
  const { year, month, day } = parts(d);
  return `${year}年${month}月${day}日`;
}

/** `11月26日 09:00` */
export function slotText(date: LocalDate, start: string): string {
  const { month, day } = parts(date);
  return `${month}月${day}日 ${start}`;
}

export type CancelCheck = { ok: true } | { ok: false; code: 'TOO_LATE' | 'STARTED'; message: string };

/** A resident may cancel online until `cancelDeadlineMinutes` before the start. */
export function cancelCheck(input: { startAt: string; now: Date; policy: Pick<BookingPolicy, 'cancelDeadlineMinutes'> }): CancelCheck {
  const start = Date.parse(input.startAt);
  const now = input.now.getTime();
  if (now >= start) return { ok: false, code: 'STARTED', message: '预约时间已到，不能取消' };
  const deadline = start - input.policy.cancelDeadlineMinutes * 60_000;
  if (now > deadline) {
    return { ok: false, code: 'TOO_LATE', message: `距就诊已不足${durationText(input.policy.cancelDeadlineMinutes)}，不能在线取消，如需取消请联系签约团队` };
  }
  return { ok: true };
}

export function durationText(minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60}小时`;
  if (minutes > 60) return `${Math.floor(minutes / 60)}小时${minutes % 60}分钟`;
  return `${minutes}分钟`;
}

export interface Suspension {
  /** First day of the suspension (the date of the no-show that reached the limit). */
  from: LocalDate;
  /** Last suspended day (inclusive); online booking is possible again the day after. */
  until: LocalDate;
  noShows: number;
}

/**
 * Online booking suspension after repeated no-shows: `noShowLimit` no-shows whose dates lie
 * within `noShowWindowDays` days (first to last, inclusive) suspend the member for
 * `noShowSuspensionDays` days from the date of the no-show that reached the limit. A
 * suspension "uses up" the no-shows that caused it: after it, counting starts afresh.
 * Returns the suspension in force on `today`, or undefined.
 */
export function suspensionOn(noShowDates: LocalDate[], policy: Pick<BookingPolicy, 'noShowLimit' | 'noShowWindowDays' | 'noShowSuspensionDays'>, today: LocalDate): Suspension | undefined {
  const dates = [...noShowDates].sort();
  let window: LocalDate[] = [];
  let current: Suspension | undefined;
  for (const d of dates) {
    // No-shows during a suspension cannot happen (no booking); if one is recorded anyway it counts afresh.
    window.push(d);
    window = window.filter((x) => daysBetween(x, d) < policy.noShowWindowDays);
    if (window.length >= policy.noShowLimit) {
      current = { from: d, until: addDays(d, policy.noShowSuspensionDays - 1), noShows: window.length };
      window = [];
    }
  }
  return current && current.from <= today && today <= current.until ? current : undefined;
}

export function suspensionMessage(name: string, s: Suspension, policy: Pick<BookingPolicy, 'noShowWindowDays'>): string {
  return `${name}在${policy.noShowWindowDays}天内有${s.noShows}次预约未按时就诊，${dateText(s.until)}（含）前暂停在线预约，${dateText(addDays(s.until, 1))}起可再次预约；如需就诊请直接联系签约团队`;
}

/** When the day-before reminder of an appointment is due (Asia/Shanghai `reminderTime` the day before). */
export function reminderAt(date: LocalDate, reminderTime = DEFAULT_REMINDER_TIME): string {
  return instantOf(addDays(date, -1), reminderTime).toISOString();
}

/**
 * Whether a reminder is to be sent now: due, the appointment not started, and booked before the
 * reminder time (someone who books after 18:00 for tomorrow morning has just seen it — the
 * confirmation on screen is the reminder).
 */
export function reminderDue(input: { date: LocalDate; startAt: string; bookedAt: string; now: Date; reminderTime?: string }): boolean {
  const at = reminderAt(input.date, input.reminderTime);
  const now = input.now.toISOString();
  return now >= at && now < input.startAt && input.bookedAt < at;
}

/** Appointments that still count towards the member's limit: those that have not started. */
export function futureAppointments(upcoming: Record<string, string>, now: Date): Record<string, string> {
  const nowIso = now.toISOString();
  return Object.fromEntries(Object.entries(upcoming).filter(([, startAt]) => startAt > nowIso));
}

export type AttendanceOutcome = 'attended' | 'no_show';

export type AttendanceCheck = { ok: true } | { ok: false; message: string };

/** Staff mark attendance on the appointment's day or later; a no-show only once it has started. */
export function attendanceCheck(input: { outcome: AttendanceOutcome; date: LocalDate; startAt: string; now: Date }): AttendanceCheck {
  if (localDateOf(input.now) < input.date) return { ok: false, message: '预约日期未到，不能登记就诊情况' };
  if (input.outcome === 'no_show' && input.now.toISOString() < input.startAt) return { ok: false, message: '预约时间未到，不能登记为未到诊' };
  return { ok: true };
}
