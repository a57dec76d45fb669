import { describe, expect, it } from 'vitest';
import { generateSlots, isoWeekday, rotaIssues, slotIdOf, SLOT_ID_RE, resourceCode, type RotaRules, type RotaSession } from './rota';

const mon = (s: Partial<RotaSession> = {}): RotaSession => ({ weekday: 1, kind: 'morning', start: '08:00', end: '09:00', slotMinutes: 30, placesPerSlot: 2, ...s });
const rules = (sessions: RotaSession[], extra: Partial<RotaRules> = {}): RotaRules => ({ sessions, closedDates: [], horizonDays: 14, ...extra });

describe('isoWeekday', () => {
  it.each([
    ['2026-11-23', 1],
    ['2026-11-29', 7],
    ['2024-02-29', 4],
    ['2026-12-31', 4],
    ['2027-01-01', 5],
  ])('%s is weekday %i', (d, w) => expect(isoWeekday(d)).toBe(w));
});

describe('generateSlots', () => {
  it.each<[string, RotaRules, string, string[]]>([
    ['cuts a session into slots', rules([mon()]), '2026-11-23', ['2026-11-23 08:00-08:30', '2026-11-23 08:30-09:00', '2026-11-30 08:00-08:30', '2026-11-30 08:30-09:00']],
    ['drops a last piece shorter than a slot', rules([mon({ end: '09:10' })], { horizonDays: 7 }), '2026-11-23', ['2026-11-23 08:00-08:30', '2026-11-23 08:30-09:00']],
    ['the horizon excludes its end day', rules([mon()], { horizonDays: 7 }), '2026-11-24', ['2026-11-30 08:00-08:30', '2026-11-30 08:30-09:00']],
    ['horizon of one day starting on the weekday', rules([mon()], { horizonDays: 1 }), '2026-11-30', ['2026-11-30 08:00-08:30', '2026-11-30 08:30-09:00']],
    ['closed dates yield nothing', rules([mon()], { closedDates: ['2026-11-23'], horizonDays: 8 }), '2026-11-23', ['2026-11-30 08:00-08:30', '2026-11-30 08:30-09:00']],
    [
      'crosses the month end (Mon 30 Nov → Mon 7 Dec)',
      rules([mon({ end: '08:30' })], { horizonDays: 8 }),
      '2026-11-30',
      ['2026-11-30 08:00-08:30', '2026-12-07 08:00-08:30'],
    ],
    [
      'crosses the year end and a leap day',
      rules([mon({ weekday: 4, end: '08:30' })], { horizonDays: 8 }),
      '2026-12-31',
      ['2026-12-31 08:00-08:30', '2027-01-07 08:00-08:30'],
    ],
    [
      'evening session up to midnight (晚间延时服务)',
      rules([mon({ kind: 'evening', start: '23:00', end: '24:00' })], { horizonDays: 1 }),
      '2026-11-23',
      ['2026-11-23 23:00-23:30', '2026-11-23 23:30-24:00'],
    ],
    [
      'noon session between morning and afternoon, sorted by start',
      rules([mon({ kind: 'afternoon', start: '14:00', end: '14:30' }), mon({ kind: 'noon', start: '11:30', end: '12:00' }), mon({ end: '08:30' })], { horizonDays: 1 }),
      '2026-11-23',
      ['2026-11-23 08:00-08:30', '2026-11-23 11:30-12:00', '2026-11-23 14:00-14:30'],
    ],
  ])('%s', (_name, r, today, expected) => {
    expect(generateSlots(r, today).map((s) => `${s.date} ${s.start}-${s.end}`)).toEqual(expected);
  });

  it.each([
    // Asia/Shanghai is UTC+8: early morning slots are the previous UTC day, midnight is 16:00Z.
    ['07:00', '08:00', '2026-11-22T23:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['23:30', '24:00', '2026-11-23T15:30:00.000Z', '2026-11-23T16:00:00.000Z'],
    ['00:00', '00:30', '2026-11-22T16:00:00.000Z', '2026-11-22T16:30:00.000Z'],
  ])('slot %s-%s has instants %s / %s', (start, end, startAt, endAt) => {
    const [slot] = generateSlots(rules([mon({ start, end, slotMinutes: end === '08:00' ? 60 : 30 })], { horizonDays: 1 }), '2026-11-23');
    expect(slot).toMatchObject({ startAt, endAt });
  });

  it('a doctor session and the team clinic at the same time are different slots', () => {
    const slots = generateSlots(rules([mon({ end: '08:30' }), mon({ end: '08:30', doctor: '王建国' })], { horizonDays: 1 }), '2026-11-23');
    expect(slots.map((s) => s.slotId)).toEqual([slotIdOf('2026-11-23', '08:00'), slotIdOf('2026-11-23', '08:00', '王建国')].sort());
    expect(slots.every((s) => SLOT_ID_RE.test(s.slotId))).toBe(true);
    expect(slots.find((s) => s.doctor)?.doctor).toBe('王建国');
  });

  it('slot ids are stable for the same date, time and doctor', () => {
    expect(slotIdOf('2026-11-23', '08:00')).toBe('2026-11-23_0800_t');
    expect(resourceCode('王建国')).toBe(resourceCode('王建国'));
    expect(resourceCode('王建国')).not.toBe(resourceCode('李红梅'));
  });
});

describe('rotaIssues', () => {
  it.each<[string, RotaSession[], string[]]>([
    ['a valid rota', [mon(), mon({ start: '09:00', end: '10:00' }), mon({ weekday: 2 })], []],
    ['end before start', [mon({ start: '10:00', end: '09:00' })], ['sessions.0.end']],
    ['crossing midnight is refused', [mon({ start: '23:00', end: '01:00' })], ['sessions.0.end']],
    ['bad time format', [mon({ start: '8:00' }), mon({ end: '25:00' })], ['sessions.0.start', 'sessions.1.end']],
    ['start at 24:00', [mon({ start: '24:00', end: '24:00' })], ['sessions.0.start']],
    ['slot longer than the session', [mon({ slotMinutes: 90 })], ['sessions.0.slotMinutes']],
    ['overlap on the same weekday', [mon(), mon({ start: '08:30', end: '09:30' })], ['sessions.1.start']],
    ['touching sessions do not overlap', [mon(), mon({ start: '09:00', end: '09:30' })], []],
    ['two doctors at the same time are fine', [mon({ doctor: '王建国' }), mon({ doctor: '陈秀英' })], []],
  ])('%s', (_n, sessions, paths) => {
    expect(rotaIssues(rules(sessions)).map((i) => i.path)).toEqual(paths);
  });

  it('duplicate closed dates', () => {
    expect(rotaIssues(rules([], { closedDates: ['2026-10-01', '2026-10-01'] })).map((i) => i.path)).toEqual(['closedDates.1']);
  });
});
