import { describe, expect, it } from 'vitest';
import { freePlaces, planSlotChanges, type StoredSlot } from './reconcile';
import { generateSlots, type RotaRules } from './rota';

const base: RotaRules = {
  sessions: [{ weekday: 1, kind: 'morning', start: '08:00', end: '09:00', slotMinutes: 30, placesPerSlot: 2 }],
  closedDates: [],
  horizonDays: 8,
};
const today = '2026-11-23';
const now = new Date('2026-11-22T12:00:00Z'); // 20:00 on the 22nd in Shanghai
const stored = (r: RotaRules, over: Partial<StoredSlot> = {}): StoredSlot[] =>
  generateSlots(r, today).map((s) => ({ ...s, booked: 0, status: 'open' as const, ...over }));

describe('planSlotChanges', () => {
  it('first publish creates every slot', () => {
    const c = planSlotChanges({ desired: generateSlots(base, today), stored: [], closedDates: [], now });
    expect(c.create).toHaveLength(4);
    expect(c.update.length + c.withdraw.length + c.sweep.length).toBe(0);
  });

  it('the same rota again changes nothing', () => {
    const c = planSlotChanges({ desired: generateSlots(base, today), stored: stored(base), closedDates: [], now });
    expect([c.create, c.update, c.withdraw, c.sweep].map((x) => x.length)).toEqual([0, 0, 0, 0]);
  });

  it('more places update the slots', () => {
    const more = { ...base, sessions: [{ ...base.sessions[0]!, placesPerSlot: 5 }] };
    const c = planSlotChanges({ desired: generateSlots(more, today), stored: stored(base), closedDates: [], now });
    expect(c.update.map((u) => u.slot.places)).toEqual([5, 5, 5, 5]);
  });

  it('a closed date withdraws the slots of that day, with the holiday reason', () => {
    const closed = { ...base, closedDates: ['2026-11-30'] };
    const c = planSlotChanges({ desired: generateSlots(closed, today), stored: stored(base, { booked: 1 }), closedDates: closed.closedDates, now });
    expect(c.withdraw.map((w) => [w.slot.date, w.reason, w.slot.booked])).toEqual([
      ['2026-11-30', 'closed_date', 1],
      ['2026-11-30', 'closed_date', 1],
    ]);
  });

  it('a shorter session withdraws the dropped slots as a rota change', () => {
    const shorter = { ...base, sessions: [{ ...base.sessions[0]!, end: '08:30' }] };
    const c = planSlotChanges({ desired: generateSlots(shorter, today), stored: stored(base), closedDates: [], now });
    expect(c.withdraw.map((w) => `${w.slot.date} ${w.slot.start} ${w.reason}`)).toEqual(['2026-11-23 08:30 rota_changed', '2026-11-30 08:30 rota_changed']);
  });

  it('started slots are left alone', () => {
    const later = new Date('2026-11-23T00:15:00Z'); // 08:15 Shanghai on the 23rd
    const c = planSlotChanges({ desired: [], stored: stored(base), closedDates: [], now: later });
    expect(c.withdraw.map((w) => `${w.slot.date} ${w.slot.start}`)).toEqual(['2026-11-23 08:30', '2026-11-30 08:00', '2026-11-30 08:30']);
  });

  it('a withdrawn slot the rota brings back is reopened; one still holding bookings is swept', () => {
    const withdrawn = stored(base, { status: 'withdrawn' });
    const c = planSlotChanges({ desired: generateSlots(base, today), stored: withdrawn, closedDates: [], now });
    expect(c.update).toHaveLength(4);
    const gone = planSlotChanges({ desired: [], stored: stored(base, { status: 'withdrawn', booked: 1 }), closedDates: [], now });
    expect(gone.sweep).toHaveLength(4);
    expect(gone.withdraw).toHaveLength(0);
  });
});

describe('freePlaces', () => {
  it.each([
    [{ places: 3, booked: 1, status: 'open' }, 2],
    [{ places: 1, booked: 1, status: 'open' }, 0],
    [{ places: 1, booked: 2, status: 'open' }, 0],
    [{ places: 3, booked: 0, status: 'withdrawn' }, 0],
  ])('%o → %i', (s, n) => expect(freePlaces(s)).toBe(n));
});
