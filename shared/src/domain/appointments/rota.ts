/**
 * A team's weekly rota for its signing clinic (签约门诊) and the slots it yields. Pure: the
 * horizon start (`today`) is a parameter; times are Asia/Shanghai wall-clock `HH:MM`.
 *
 * DOMAIN.md "Appointments and referral": signed residents book their team's signing clinic
 * (yongkang 基本服务包 5 "为签约居民提供家庭医生预约门诊服务", a fixed Monday–Friday rota in
 * yongkang's example) with priority; off-hours and extended noon / evening sessions exist
 * (错时服务, 午间晚间延时服务).
 */
import { addDays, instantOf, parts, type LocalDate } from '../dates';
import type { FieldIssue } from '../errors';

export const SESSION_KINDS = {
  morning: '上午门诊',
  noon: '午间延时服务',
  afternoon: '下午门诊',
  evening: '晚间延时服务',
} as const;
export type SessionKind = keyof typeof SESSION_KINDS;
export const SESSION_KIND_CODES = Object.keys(SESSION_KINDS) as [SessionKind, ...SessionKind[]];

export const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

/** Default rolling horizon of generated slots (issue 6). */
export const DEFAULT_HORIZON_DAYS = 14;
export const MAX_HORIZON_DAYS = 60;

export interface RotaSession {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  kind: SessionKind;
  /** `HH:MM`, Asia/Shanghai. */
  start: string;
  /** `HH:MM` after `start`; `24:00` ends at midnight (a session never crosses midnight). */
  end: string;
  slotMinutes: number;
  placesPerSlot: number;
  /** A named doctor's own session; absent = the team's clinic (any doctor of the team). */
  doctor?: string;
}

export interface RotaRules {
  sessions: RotaSession[];
  /** Dates the clinic is closed (holidays): no slots. */
  closedDates: LocalDate[];
  horizonDays: number;
}

export interface SlotSpec {
  /** `<date>_<HHMM>_<resource>`: stable for the same date, start and doctor. */
  slotId: string;
  date: LocalDate;
  start: string;
  end: string;
  /** ISO instants. */
  startAt: string;
  endAt: string;
  kind: SessionKind;
  doctor?: string;
  places: number;
}

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekday(d: LocalDate): number {
  const { year, month, day } = parts(d);
  const w = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** Short stable code of a doctor's name (FNV-1a, 32 bit) so slot ids stay URL-safe. */
export function resourceCode(doctor: string | undefined): string {
  if (!doctor) return 't';
  let h = 0x811c9dc5;
  for (const ch of doctor) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `d${h.toString(16).padStart(8, '0')}`;
}

export function slotIdOf(date: LocalDate, start: string, doctor?: string): string {
  return `${date}_${start.replace(':', '')}_${resourceCode(doctor)}`;
}

export const SLOT_ID_RE = /^\d{4}-\d{2}-\d{2}_\d{4}_(t|d[0-9a-f]{8})$/;

/** Date part of a slot id (the id is validated by SLOT_ID_RE first). */
export function slotDateOf(slotId: string): LocalDate {
  return slotId.slice(0, 10);
}

/**
 * Structural checks the schema cannot express: times, slot fitting, and no two sessions of the
 * same doctor (or of the team clinic) overlapping on a weekday. Paths point into `sessions`.
 */
export function rotaIssues(rules: RotaRules): FieldIssue[] {
  const issues: FieldIssue[] = [];
  rules.sessions.forEach((s, i) => {
    const p = `sessions.${i}`;
    if (!TIME_RE.test(s.start) || s.start === '24:00') issues.push({ path: `${p}.start`, message: '开始时间格式应为HH:MM' });
    if (!TIME_RE.test(s.end)) issues.push({ path: `${p}.end`, message: '结束时间格式应为HH:MM' });
    if (!TIME_RE.test(s.start) || s.start === '24:00' || !TIME_RE.test(s.end)) return;
    const len = minutesOf(s.end) - minutesOf(s.start);
    if (len <= 0) issues.push({ path: `${p}.end`, message: '结束时间应晚于开始时间（门诊时段不能跨越午夜）' });
    else if (s.slotMinutes > len) issues.push({ path: `${p}.slotMinutes`, message: '每个号源的时长不能超过门诊时段' });
  });
  if (issues.length) return issues;
  for (let i = 0; i < rules.sessions.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = rules.sessions[i]!;
      const b = rules.sessions[j]!;
      if (a.weekday !== b.weekday || (a.doctor ?? '') !== (b.doctor ?? '')) continue;
      if (minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end)) {
        issues.push({ path: `sessions.${i}.start`, message: `与第${j + 1}个门诊时段（${WEEKDAYS[b.weekday]} ${b.start}-${b.end}）时间重叠` });
      }
    }
  }
  const seen = new Set<string>();
  rules.closedDates.forEach((d, i) => {
    if (seen.has(d)) issues.push({ path: `closedDates.${i}`, message: '停诊日期重复' });
    seen.add(d);
  });
  return issues;
}

/**
 * The slots of the rolling horizon `[today, today + horizonDays)`: every session of the date's
 * weekday cut into `slotMinutes` pieces (a last piece shorter than `slotMinutes` is dropped),
 * none on closed dates. Sorted by start, then doctor.
 */
export function generateSlots(rules: RotaRules, today: LocalDate): SlotSpec[] {
  const closed = new Set(rules.closedDates);
  const out: SlotSpec[] = [];
  for (let n = 0; n < rules.horizonDays; n++) {
    const date = addDays(today, n);
    if (closed.has(date)) continue;
    const weekday = isoWeekday(date);
    for (const s of rules.sessions) {
      if (s.weekday !== weekday) continue;
      const end = minutesOf(s.end);
      for (let t = minutesOf(s.start); t + s.slotMinutes <= end; t += s.slotMinutes) {
        const start = timeOf(t);
        const slotEnd = timeOf(t + s.slotMinutes);
        out.push({
          slotId: slotIdOf(date, start, s.doctor),
          date,
          start,
          end: slotEnd,
          startAt: instantOf(date, start).toISOString(),
          // 24:00 is the next day's 00:00.
          endAt: (slotEnd === '24:00' ? instantOf(addDays(date, 1), '00:00') : instantOf(date, slotEnd)).toISOString(),
          kind: s.kind,
          ...(s.doctor ? { doctor: s.doctor } : {}),
          places: s.placesPerSlot,
        });
      }
    }
  }
  return out.sort((a, b) => a.startAt.localeCompare(b.startAt) || a.slotId.localeCompare(b.slotId));
}
