/**
 * Bad input and other households' data (issue 6): 4xx with field paths and Chinese messages,
 * never a 500, never a partial write; a resident cannot see or cancel another household's
 * appointments.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '@jiayi/shared/domain/dates';
import { bookBody, bookOk, clinicTeam, everyDay, signedHousehold, slotAt, storedSlot, today, tomorrow } from './appointments.fixtures';
import { http } from './stack';

const HAN = /\p{Script=Han}/u;

describe('bad input', () => {
  it.each<[string, (b: Record<string, unknown>) => unknown, string]>([
    ['missing slot', ({ slotId: _s, ...b }) => b, 'slotId'],
    ['malformed slot id', (b) => ({ ...b, slotId: '2026-13-01 08:00' }), 'slotId'],
    ['missing member', ({ memberId: _m, ...b }) => b, 'memberId'],
    ['empty reason', (b) => ({ ...b, reason: '   ' }), 'reason'],
    ['reason too long', (b) => ({ ...b, reason: '咳'.repeat(201) }), 'reason'],
    ['short idempotency key', (b) => ({ ...b, idempotencyKey: 'abc' }), 'idempotencyKey'],
    ['reason of the wrong type', (b) => ({ ...b, reason: 42 }), 'reason'],
  ])('POST /appointments: %s → 400', async (_n, mutate, path) => {
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const slotId = slotAt(tomorrow(), '08:00');
    const r = await http('POST', '/appointments', { token: h.token, body: mutate(bookBody(team.teamId, slotId, h.memberIds[0]!)) });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: any) => f.path)).toContain(path);
    expect(r.body.error.fields.every((f: any) => HAN.test(f.message))).toBe(true);
    expect((await storedSlot(team.teamId, slotId))!.booked).toBe(0);
  });

  it('malformed JSON and a non-object body are 400 in Chinese', async () => {
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const bad = await http('POST', '/appointments', { token: h.token, body: '{"slotId":' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('请求内容不是有效的 JSON');
    const arr = await http('POST', '/appointments', { token: h.token, body: [] });
    expect(arr.status).toBe(400);
    expect(HAN.test(arr.body.error.message)).toBe(true);
  });

  it('a slot that does not exist, or has passed, is a 409 with a Chinese message', async () => {
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const none = await http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotAt(tomorrow(), '13:00'), h.memberIds[0]!) });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe('该时段已停诊或不存在，请选择其他时段');
    const past = await http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotAt(addDays(today(), -1), '08:00'), h.memberIds[0]!) });
    expect([409]).toContain(past.status);
  });

  it('GET /slots: bad dates and ranges are 400 with query paths', async () => {
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const r1 = await http('GET', `/slots?teamId=${team.teamId}&from=2026-02-30`, { token: h.token });
    expect(r1.status).toBe(400);
    expect(r1.body.error.fields[0]).toEqual({ path: 'query.from', message: '开始日期格式应为YYYY-MM-DD' });
    const r2 = await http('GET', `/slots?teamId=${team.teamId}&from=${tomorrow()}&to=${today()}`, { token: h.token });
    expect(r2.body.error.fields[0]).toEqual({ path: 'query.to', message: '结束日期不能早于开始日期' });
    const r3 = await http('GET', `/slots?teamId=${team.teamId}&from=${today()}&to=${addDays(today(), 40)}`, { token: h.token });
    expect(r3.body.error.fields[0].message).toBe('一次最多查询31天');
    const r4 = await http('GET', '/slots', { token: h.token });
    expect(r4.body.error.fields[0].path).toBe('query.teamId');
  });

  it('PUT rota: overlapping sessions, bad times and sizes are 400 with paths into sessions', async () => {
    const team = await clinicTeam();
    const put = (body: unknown) => http('PUT', `/teams/${team.teamId}/rota`, { token: team.staffToken, body });
    const overlap = await put({ sessions: [...everyDay(1), { weekday: 1, kind: 'morning', start: '09:00', end: '11:00', slotMinutes: 30, placesPerSlot: 1 }], expectedVersion: 1 });
    expect(overlap.status).toBe(400);
    expect(overlap.body.error.fields[0].path).toBe('sessions.7.start');
    expect(overlap.body.error.fields[0].message).toContain('时间重叠');
    const times = await put({ sessions: [{ weekday: 8, kind: 'night', start: '8:00', end: '07:00', slotMinutes: 0, placesPerSlot: 0 }], expectedVersion: 1 });
    expect(times.status).toBe(400);
    expect(times.body.error.fields.map((f: any) => f.path).sort()).toEqual(['sessions.0.kind', 'sessions.0.placesPerSlot', 'sessions.0.slotMinutes', 'sessions.0.start', 'sessions.0.weekday'].sort());
    expect(times.body.error.fields.every((f: any) => HAN.test(f.message))).toBe(true);
    const cross = await put({ sessions: [{ weekday: 3, kind: 'evening', start: '22:00', end: '01:00', slotMinutes: 30, placesPerSlot: 1 }], expectedVersion: 1 });
    expect(cross.body.error.fields[0]).toMatchObject({ path: 'sessions.0.end' });
    const dates = await put({ sessions: [], closedDates: ['2026-02-30'], expectedVersion: 1 });
    expect(dates.body.error.fields[0]).toEqual({ path: 'closedDates.0', message: '停诊日期格式应为YYYY-MM-DD' });
    // Nothing was published by the bad requests.
    expect((await http('GET', `/teams/${team.teamId}/rota`, { token: team.staffToken })).body.rota.version).toBe(1);
  });

  it('attendance needs a known outcome', async () => {
    const team = await clinicTeam();
    const r = await http('POST', '/appointments/abc/attendance', { token: team.staffToken, body: { outcome: 'late' } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0]).toEqual({ path: 'outcome', message: '就诊情况应为已就诊或未到诊' });
    const none = await http('POST', '/appointments/abc/attendance', { token: team.staffToken, body: { outcome: 'attended' } });
    expect(none.status).toBe(404);
  });

  it('without a login: 401', async () => {
    expect((await http('GET', '/appointments')).status).toBe(401);
    expect((await http('POST', '/appointments', { body: {} })).status).toBe(401);
  });
});

describe('other households', () => {
  it('a resident cannot see, cancel or book for another household', async () => {
    const team = await clinicTeam(everyDay(2));
    const a = await signedHousehold(team);
    const b = await signedHousehold(team);
    const appt = await bookOk(a, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), a.memberIds[0]!));
    expect((await http('GET', '/appointments', { token: b.token })).body.appointments).toEqual([]);
    const cancel = await http('DELETE', `/appointments/${appt.id}`, { token: b.token });
    expect(cancel.status).toBe(404);
    expect(cancel.body.error.message).toBe('未找到该预约');
    expect((await storedSlot(team.teamId, slotAt(tomorrow(), '08:00')))!.booked).toBe(1);
    // Booking for a member of another household: not one of the caller's signed members.
    const foreign = await http('POST', '/appointments', { token: b.token, body: bookBody(team.teamId, slotAt(tomorrow(), '08:30'), a.memberIds[0]!) });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('NOT_SIGNED');
    // Messages are per household too.
    const msgs = await http('POST', `/me/messages/${appt.id}/read`, { token: b.token });
    expect(msgs.status).toBe(404);
    expect((await http('GET', '/appointments', { token: a.token })).body.appointments[0].status).toBe('booked');
  });
});
