import { describe, expect, it } from 'vitest';
import { BOOKING_DEFAULTS } from '../policy/defaults';
import { attendanceCheck, cancelCheck, futureAppointments, reminderAt, reminderDue, suspensionMessage, suspensionOn } from './rules';

describe('cancelCheck (deadline 120 minutes before, BOOKING_DEFAULTS)', () => {
  const startAt = '2026-11-26T01:00:00.000Z'; // 09:00 Shanghai
  it.each([
    ['a day before', '2026-11-25T01:00:00.000Z', 'ok'],
    ['exactly at the deadline', '2026-11-25T23:00:00.000Z', 'ok'],
    ['a minute after the deadline', '2026-11-25T23:01:00.000Z', 'TOO_LATE'],
    ['at the start', '2026-11-26T01:00:00.000Z', 'STARTED'],
    ['after the start', '2026-11-26T02:00:00.000Z', 'STARTED'],
  ])('%s → %s', (_n, now, outcome) => {
    const r = cancelCheck({ startAt, now: new Date(now), policy: BOOKING_DEFAULTS });
    expect(r.ok ? 'ok' : r.code).toBe(outcome);
  });

  it('says how long the deadline is, in Chinese', () => {
    const r = cancelCheck({ startAt, now: new Date('2026-11-26T00:30:00.000Z'), policy: { cancelDeadlineMinutes: 90 } });
    expect(!r.ok && r.message).toContain('1小时30分钟');
  });

  it('a zero deadline allows cancelling until the start', () => {
    expect(cancelCheck({ startAt, now: new Date('2026-11-26T00:59:00.000Z'), policy: { cancelDeadlineMinutes: 0 } }).ok).toBe(true);
  });
});

describe('suspensionOn (3 no-shows within 90 days → 30 days)', () => {
  const p = BOOKING_DEFAULTS;
  it.each<[string, string[], string, string | undefined]>([
    ['no no-shows', [], '2026-11-25', undefined],
    ['two no-shows are a warning only', ['2026-10-01', '2026-11-01'], '2026-11-02', undefined],
    ['the third within 90 days suspends from its date', ['2026-09-01', '2026-10-01', '2026-11-01'], '2026-11-01', '2026-11-30'],
    ['last suspended day is inclusive', ['2026-09-01', '2026-10-01', '2026-11-01'], '2026-11-30', '2026-11-30'],
    ['bookable again the day after', ['2026-09-01', '2026-10-01', '2026-11-01'], '2026-12-01', undefined],
    ['window is 90 days first to last (89 days apart counts)', ['2026-08-04', '2026-09-01', '2026-11-01'], '2026-11-02', '2026-11-30'],
    ['90 days apart is outside the window', ['2026-08-03', '2026-09-01', '2026-11-01'], '2026-11-02', undefined],
    ['unsorted input', ['2026-11-01', '2026-09-01', '2026-10-01'], '2026-11-05', '2026-11-30'],
    ['no-shows that caused a suspension are used up', ['2026-06-01', '2026-06-02', '2026-06-03', '2026-07-10', '2026-07-11'], '2026-07-12', undefined],
    ['a fresh set after the suspension suspends again', ['2026-06-01', '2026-06-02', '2026-06-03', '2026-07-10', '2026-07-11', '2026-07-12'], '2026-07-13', '2026-08-10'],
    ['across the year end', ['2026-12-30', '2026-12-31', '2027-01-01'], '2027-01-30', '2027-01-30'],
  ])('%s', (_n, dates, today, until) => {
    expect(suspensionOn(dates, p, today)?.until).toBe(until);
  });

  it('the message says until when and from when, in Chinese', () => {
    const s = suspensionOn(['2026-09-01', '2026-10-01', '2026-11-01'], p, '2026-11-02')!;
    expect(suspensionMessage('张伟', s, p)).toBe(
      '张伟在90天内有3次预约未按时就诊，2026年11月30日（含）前暂停在线预约，2026年12月1日起可再次预约；如需就诊请直接联系签约团队',
    );
  });
});

describe('reminders (18:00 the day before, Asia/Shanghai)', () => {
  it.each([
    ['2026-11-26', '18:00', '2026-11-25T10:00:00.000Z'],
    ['2026-12-01', '18:00', '2026-11-30T10:00:00.000Z'],
    ['2027-01-01', '18:00', '2026-12-31T10:00:00.000Z'],
    ['2026-11-26', '07:30', '2026-11-24T23:30:00.000Z'],
  ])('appointment on %s, reminder at %s → %s', (date, time, at) => expect(reminderAt(date, time)).toBe(at));

  const appt = { date: '2026-11-26', startAt: '2026-11-26T01:00:00.000Z', bookedAt: '2026-11-20T02:00:00.000Z' };
  it.each([
    ['before 18:00 the day before', '2026-11-25T09:59:00.000Z', appt, false],
    ['at 18:00 the day before', '2026-11-25T10:00:00.000Z', appt, true],
    ['late at night the day before (hourly job)', '2026-11-25T15:30:00.000Z', appt, true],
    ['after the start', '2026-11-26T01:00:00.000Z', appt, false],
    ['booked after the reminder time', '2026-11-25T13:00:00.000Z', { ...appt, bookedAt: '2026-11-25T12:00:00.000Z' }, false],
    ['evening slot at 23:30: the reminder is at 18:00 the day before', '2026-11-25T10:00:00.000Z', { ...appt, startAt: '2026-11-26T15:30:00.000Z' }, true],
  ])('%s → %s', (_n, now, a, due) => expect(reminderDue({ ...a, now: new Date(now) })).toBe(due));
});

describe('futureAppointments', () => {
  it('drops appointments that have started', () => {
    expect(futureAppointments({ a: '2026-11-25T01:00:00.000Z', b: '2026-11-26T01:00:00.000Z' }, new Date('2026-11-25T01:00:00.000Z'))).toEqual({ b: '2026-11-26T01:00:00.000Z' });
  });
});

describe('attendanceCheck', () => {
  const a = { date: '2026-11-26', startAt: '2026-11-26T01:00:00.000Z' };
  it.each([
    ['attended, the day before', 'attended', '2026-11-25T10:00:00.000Z', false],
    ['attended, early on the day (Shanghai)', 'attended', '2026-11-25T16:30:00.000Z', true],
    ['no-show before the start', 'no_show', '2026-11-26T00:59:00.000Z', false],
    ['no-show after the start', 'no_show', '2026-11-26T01:00:00.000Z', true],
    ['attended days later', 'attended', '2026-11-28T01:00:00.000Z', true],
  ] as const)('%s → %s', (_n, outcome, now, ok) => expect(attendanceCheck({ ...a, outcome, now: new Date(now) }).ok).toBe(ok));
});
