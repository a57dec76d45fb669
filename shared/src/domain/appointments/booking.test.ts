import { describe, expect, it } from 'vitest';
import { ADULT, household, signed } from '../agreements/fixtures';
import { planAttendance, planBooking, planCancellation, planReminder, reminderMessage, type BookingState, type CounterRecord } from './booking';
import type { StoredSlot } from './reconcile';

const agreement = signed(household([{ id: 'a', facts: ADULT }]));
const now = new Date('2025-03-03T02:00:00Z');
const slot: StoredSlot = { slotId: '2025-03-05-0800', date: '2025-03-05', start: '08:00', end: '08:30', startAt: '2025-03-05T00:00:00.000Z', kind: 'morning', places: 2, booked: 0, status: 'open' };
const counter: CounterRecord = { upcoming: {}, noShows: [], v: 3 };
const state = (over: Partial<BookingState> = {}): BookingState => ({
  accountId: 'acct-1',
  body: { teamId: agreement.teamId, slotId: slot.slotId, memberId: 'a', reason: '复诊', idempotencyKey: 'b1' },
  requestHash: 'bh',
  agreement,
  slot,
  counter,
  reminderTime: '18:00',
  now,
  id: 'ab000000-0000-4000-8000-000000000000',
  ...over,
});
const failure = (name: string, stored: Record<string, unknown> | undefined) => planBooking(state()).plan.items.find((i) => i.name === name)!.onFail!(stored);

describe('planBooking', () => {
  it('books a place: idempotency, time lock, slot, counter at the version read, appointment', () => {
    const { appointment, plan } = planBooking(state());
    expect(plan.items.map((i) => i.name)).toEqual(['idempotency', 'timeLock', 'slot', 'counter', 'appointment']);
    expect(appointment).toMatchObject({ status: 'booked', memberName: '成员a', remindAt: '2025-03-04T10:00:00.000Z', shard: 0xab % 4 });
    expect(plan.items[3]!.write).toMatchObject({ op: 'counter', readV: 3, upcoming: { [appointment.id]: slot.startAt } });
    expect(plan.busy?.code).toBe('BOOKING_BUSY');
  });

  it.each([
    ['no agreement', state({ agreement: undefined }), 'NOT_SIGNED'],
    ['another team', state({ body: { ...state().body, teamId: 'other' } }), 'NOT_SIGNED_WITH_TEAM'],
    ['a slot after the agreement ends', state({ body: { ...state().body, slotId: '2026-01-02-0800' } }), 'AGREEMENT_ENDS'],
    ['a withdrawn slot', state({ slot: { ...slot, status: 'withdrawn' } }), 'SLOT_UNAVAILABLE'],
    ['a slot that started', state({ slot: { ...slot, startAt: '2025-03-03T01:00:00.000Z' } }), 'SLOT_PAST'],
    ['a full slot', state({ slot: { ...slot, booked: 2 } }), 'SLOT_FULL'],
    ['too many future appointments', state({ counter: { ...counter, upcoming: { x: '2025-04-01T00:00:00.000Z', y: '2025-04-02T00:00:00.000Z', z: '2025-04-03T00:00:00.000Z' } } }), 'TOO_MANY_APPOINTMENTS'],
    ['a member suspended after no-shows', state({ counter: { ...counter, noShows: ['2025-02-01', '2025-02-10', '2025-03-01'] } }), 'BOOKING_SUSPENDED'],
  ])('refuses %s', (_what, s, code) => expect(() => planBooking(s)).toThrow(expect.objectContaining({ code })));

  it.each([
    ['idempotency', { appointmentId: 'first', requestHash: 'h0' }, { kind: 'replay', id: 'first', requestHash: 'h0' }],
    ['timeLock', undefined, { kind: 'refuse', error: expect.objectContaining({ code: 'TIME_CONFLICT', message: '成员a在3月5日 08:00已有预约，同一时间只能预约一个号源' }) }],
    ['slot', { status: 'withdrawn' }, { kind: 'refuse', error: expect.objectContaining({ code: 'SLOT_UNAVAILABLE' }) }],
    ['slot', { status: 'open', startAt: '2025-03-03T01:00:00.000Z' }, { kind: 'refuse', error: expect.objectContaining({ code: 'SLOT_PAST' }) }],
    ['slot', { status: 'open', startAt: slot.startAt }, { kind: 'refuse', error: expect.objectContaining({ code: 'SLOT_FULL' }) }],
    ['counter', { v: 4 }, { kind: 'retry' }],
  ])('a failed %s condition (stored %o) means %o', (name, stored, meaning) => expect(failure(name, stored)).toEqual(meaning));
});

describe('ending an appointment', () => {
  const { appointment } = planBooking(state());
  it('a cancellation returns the place, the lock and the counter entry; a clinic notice rides along', () => {
    const p = planCancellation(appointment, { status: 'cancelled_by_clinic', reason: '门诊停诊', by: 'system', now, message: reminderMessage(appointment, 'm1', now) });
    expect(p.items.map((i) => i.name)).toEqual(['appointment', 'slot', 'timeLock', 'counter', 'message']);
    expect(p.items[0]!.onFail!(undefined)).toEqual({ kind: 'retry' });
  });
  it('a no-show records its date on the counter; a changed appointment is refused', () => {
    const p = planAttendance(appointment, 'no_show', 'staff-1', now);
    expect(p.items[1]!.write).toMatchObject({ op: 'counterRemove', noShow: '2025-03-05' });
    expect(p.items[0]!.onFail!(undefined)).toMatchObject({ kind: 'refuse', error: { code: 'APPOINTMENT_ENDED' } });
  });
  it('a reminder goes out once: marker, message, appointment', () => {
    const m = reminderMessage(appointment, 'm1', now);
    expect(m.body).toContain('请至少提前2小时');
    expect(planReminder(appointment, m, now).items.map((i) => i.name)).toEqual(['marker', 'message', 'appointment']);
  });
});
