/**
 * Races through the HTTP API on the local stack (serverless-offline + dynalite + our transaction
 * layer): the invariants hold whatever the interleaving — a slot's places never go below zero,
 * one member never holds two appointments at one start time, a member never exceeds the future
 * limit, and cancellations racing with bookings leave the slot counter equal to the bookings.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '@jiayi/shared/domain/dates';
import { slotIdOf } from '@jiayi/shared/domain/appointments/rota';
import { bookBody, bookOk, clinicTeam, everyDay, signedHousehold, slotAt, storedCounter, storedSlot, teamDayItems, today, tomorrow } from './appointments.fixtures';
import { http, pool } from './stack';

/** Run `fn` over `items` with at most `limit` in flight. */
describe('appointment races', () => {
  it('the same member booking two slots at the same time concurrently → one', async () => {
    // Two doctors' sessions at the same hours: two slots start at every time.
    const sessions = everyDay(5).flatMap((s) => [{ ...s, doctor: '王建国' }, { ...s, doctor: '陈秀英' }]);
    const team = await clinicTeam(sessions);
    const h = await signedHousehold(team, 5);
    const rounds = await Promise.all(
      h.memberIds.map(async (m, i) => {
        const start = ['08:00', '08:30', '09:00', '09:30', '08:00'][i]!;
        const date = i === 4 ? addDays(today(), 2) : tomorrow();
        const [a, b] = await Promise.all([
          http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotIdOf(date, start, '王建国'), m) }),
          http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotIdOf(date, start, '陈秀英'), m) }),
        ]);
        return [a, b];
      }),
    );
    for (const [a, b] of rounds) {
      expect([a!.status, b!.status].sort()).toEqual([201, 409]);
      const loser = a!.status === 409 ? a! : b!;
      expect(['TIME_CONFLICT', 'BOOKING_BUSY']).toContain(loser.body.error.code);
    }
    for (const m of h.memberIds) expect(Object.keys((await storedCounter(h.accountId, m))!.upcoming)).toHaveLength(1);
    const mine = await http('GET', '/appointments', { token: h.token });
    expect(mine.body.appointments.filter((a: any) => a.status === 'booked')).toHaveLength(5);
  }, 120_000);

  it('one member firing 6 bookings at once for different times → at most 3 (the future limit)', async () => {
    const team = await clinicTeam(everyDay(3));
    const h = await signedHousehold(team);
    const times = ['08:00', '08:30', '09:00', '09:30'];
    const results = await Promise.all(
      [...times.map((t) => slotAt(tomorrow(), t)), slotAt(addDays(today(), 2), '08:00'), slotAt(addDays(today(), 2), '08:30')].map((s) =>
        http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, s, h.memberIds[0]!) }),
      ),
    );
    const ok = results.filter((r) => r.status === 201).length;
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(ok).toBeLessThanOrEqual(3);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const counter = await storedCounter(h.accountId, h.memberIds[0]!);
    expect(Object.keys(counter!.upcoming)).toHaveLength(ok);
  }, 120_000);

  it('cancellation racing with bookings leaves the counts consistent', async () => {
    const team = await clinicTeam(everyDay(2));
    const holder = await signedHousehold(team, 2);
    const others = await Promise.all(Array.from({ length: 4 }, () => signedHousehold(team, 2)));
    for (const start of ['08:00', '08:30', '09:00']) {
      const slotId = slotAt(tomorrow(), start);
      const mine = await Promise.all(holder.memberIds.map((m) => bookOk(holder, bookBody(team.teamId, slotId, m))));
      // Slot full; both holders cancel while 8 others try to book.
      const ops = [
        ...mine.map((a) => http('DELETE', `/appointments/${a.id}`, { token: holder.token })),
        ...others.flatMap((h) => h.memberIds.map((m) => http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotId, m) }))),
      ];
      const results = await Promise.all(ops);
      expect(results.slice(0, 2).map((r) => r.status)).toEqual([200, 200]);
      const booked = results.slice(2).filter((r) => r.status === 201).length;
      expect(results.slice(2).every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(booked).toBeLessThanOrEqual(2);
      const items = (await teamDayItems(team.teamId, tomorrow())).filter((a) => a.slotId === slotId && a.status === 'booked');
      expect(items).toHaveLength(booked);
      expect(await storedSlot(team.teamId, slotId)).toMatchObject({ places: 2, booked });
    }
  }, 120_000);
  it('100 concurrent requests for a slot with one place → exactly one booking', async () => {
    const team = await clinicTeam(everyDay(1));
    const households = await Promise.all(Array.from({ length: 20 }, () => signedHousehold(team, 5)));
    const slotId = slotAt(tomorrow(), '08:00');
    // All 100 are issued at once; at most 25 are on the wire together (like a Lambda reserved
    // concurrency): serverless-offline starts one worker thread per in-flight request, and a burst of
    // cold worker threads on a 2-core box stalls it for minutes — later requests hang behind it (seen
    // with 100 and with 50 in flight). Last in this file for the same reason.
    const requests = households.flatMap((h) => h.memberIds.map((m) => ({ token: h.token, body: bookBody(team.teamId, slotId, m) })));
    const results = await pool(requests, 25, (r) => http('POST', '/appointments', { token: r.token, body: r.body }));
    expect(results).toHaveLength(100);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.error.message))).toEqual(new Set(['该时段已约满，请选择其他时段']));
    expect(await storedSlot(team.teamId, slotId)).toMatchObject({ places: 1, booked: 1 });
    expect((await teamDayItems(team.teamId, tomorrow())).filter((a) => a.slotId === slotId)).toHaveLength(1);
  }, 120_000);
});
