/**
 * Appointments (issue 6) through the HTTP API on the local stack: rota → slots, booking with the
 * item it serves, 我的预约, cancellation, staff day list and attendance, rota changes that
 * withdraw booked slots (with a notice), no-show suspension, reminders (in-process job, once).
 */
import { describe, expect, it } from 'vitest';
import { addDays, instantOf } from '@jiayi/shared/domain/dates';
import { CLINIC_APPOINTMENT_ITEM_CODE } from '@jiayi/shared/domain/policy';
import { slotIdOf } from '@jiayi/shared/domain/appointments/rota';
import { useStoreInProcess, arrangeTeam, household, sign, signRequest, BASIC } from './agreements.fixtures';
import { bookBody, bookOk, clinicTeam, everyDay, signedHousehold, slotAt, storedCounter, storedSlot, today, tomorrow } from './appointments.fixtures';
import { http, staffLogin, storeClient, tableName } from './stack';
import { REGION } from './agreements.fixtures';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/src/db/keys';

describe('slots', () => {
  it('a published rota yields 14 days of slots with free places; closed dates have none', async () => {
    const closed = addDays(today(), 3);
    const team = await clinicTeam(everyDay(2, [{}]), { closedDates: [closed] });
    const h = await signedHousehold(team);
    const r = await http('GET', `/slots?teamId=${team.teamId}&from=${tomorrow()}&to=${addDays(today(), 13)}`, { token: h.token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const dates = new Set(r.body.slots.map((s: any) => s.date));
    expect(dates.has(closed)).toBe(false);
    expect(dates.size).toBe(12); // tomorrow .. today+13, minus the closed date
    const first = r.body.slots[0];
    expect(first).toMatchObject({ date: tomorrow(), start: '08:00', end: '08:30', kind: 'morning', kindLabel: '上午门诊', places: 2, free: 2 });
    expect(r.body.slots.some((s: any) => s.kind === 'evening' && s.start === '19:30' && s.kindLabel === '晚间延时服务')).toBe(true);
  });

  it('only households signed with the team see its clinic', async () => {
    const team = await clinicTeam();
    const other = await arrangeTeam(100);
    const h = await signedHousehold(other);
    const r = await http('GET', `/slots?teamId=${team.teamId}`, { token: h.token });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('仅与本团队签约的居民');
    const expired = await signedHousehold(team, 1, { status: 'expired' });
    expect((await http('GET', `/slots?teamId=${team.teamId}`, { token: expired.token })).status).toBe(403);
  });
});

describe('booking and cancellation', () => {
  it('books, lists, cancels; the place comes back and the counter follows', async () => {
    const team = await clinicTeam();
    const h = await signedHousehold(team, 2);
    const slotId = slotAt(tomorrow(), '08:30');
    const appt = await bookOk(h, bookBody(team.teamId, slotId, h.memberIds[1]!));
    expect(appt).toMatchObject({ status: 'booked', statusLabel: '已预约', memberName: '成员2', date: tomorrow(), start: '08:30', canCancel: true });
    expect(appt.service).toMatchObject({ itemCode: CLINIC_APPOINTMENT_ITEM_CODE, packageCode: 'LY-BASIC' });
    expect((await storedSlot(team.teamId, slotId))!.booked).toBe(1);

    const free = await http('GET', `/slots?teamId=${team.teamId}&from=${tomorrow()}&to=${tomorrow()}`, { token: h.token });
    expect(free.body.slots.find((s: any) => s.slotId === slotId).free).toBe(0);

    const mine = await http('GET', '/appointments', { token: h.token });
    expect(mine.body.appointments.map((a: any) => a.id)).toEqual([appt.id]);

    // Slot taken: another member gets the Chinese "full" message.
    const full = await http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotId, h.memberIds[0]!) });
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'SLOT_FULL', message: '该时段已约满，请选择其他时段' });

    const c = await http('DELETE', `/appointments/${appt.id}`, { token: h.token });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body.appointment).toMatchObject({ status: 'cancelled', statusLabel: '已取消', canCancel: false });
    expect((await storedSlot(team.teamId, slotId))!.booked).toBe(0);
    expect(Object.keys((await storedCounter(h.accountId, h.memberIds[1]!))!.upcoming)).toEqual([]);
    // Cancelling again is a no-op; the place is now free for the other member.
    expect((await http('DELETE', `/appointments/${appt.id}`, { token: h.token })).status).toBe(200);
    expect((await storedSlot(team.teamId, slotId))!.booked).toBe(0);
    await bookOk(h, bookBody(team.teamId, slotId, h.memberIds[0]!));
  });

  it('a retried request with the same idempotency key returns the same appointment; another body is refused', async () => {
    const team = await clinicTeam(everyDay(3));
    const h = await signedHousehold(team);
    const body = bookBody(team.teamId, slotAt(tomorrow(), '09:00'), h.memberIds[0]!);
    const a = await bookOk(h, body);
    const again = await http('POST', '/appointments', { token: h.token, body });
    expect(again.status).toBe(200);
    expect(again.body.appointment.id).toBe(a.id);
    expect((await storedSlot(team.teamId, body.slotId))!.booked).toBe(1);
    const other = await http('POST', '/appointments', { token: h.token, body: { ...body, reason: '换个事由' } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('records the promised item a visit serves (hypertension follow-up), refuses items not promised', async () => {
    const team = await clinicTeam(everyDay(3));
    const h = await signedHousehold(team, 1, { hypertension: true });
    const elig = await http('GET', '/appointments/eligibility', { token: h.token });
    expect(elig.status).toBe(200);
    expect(elig.body.members[0]).toMatchObject({ memberId: h.memberIds[0], teamId: team.teamId });
    expect(elig.body.members[0].services.map((s: any) => s.itemCode)).toEqual([CLINIC_APPOINTMENT_ITEM_CODE, 'htn-followup']);
    expect(elig.body.policy).toEqual({ maxFutureAppointments: 3, cancelDeadlineMinutes: 120 });
    const a = await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[0]!, { itemCode: 'htn-followup' }));
    expect(a.service).toEqual({ packageCode: '160000002-d', itemCode: 'htn-followup', itemName: '高血压面对面随访' });
    const plain = await signedHousehold(team);
    const bad = await http('POST', '/appointments', { token: plain.token, body: bookBody(team.teamId, slotAt(tomorrow(), '08:00'), plain.memberIds[0]!, { itemCode: 'htn-followup' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'itemCode', message: '该成员的签约服务包中没有这项服务' }]);
  });

  it('at most 3 future appointments per member (policy booking.maxFutureAppointments)', async () => {
    const team = await clinicTeam(everyDay(3));
    const h = await signedHousehold(team);
    for (const t of ['08:00', '08:30', '09:00']) await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), t), h.memberIds[0]!));
    const fourth = await http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotAt(tomorrow(), '09:30'), h.memberIds[0]!) });
    expect(fourth.status).toBe(409);
    expect(fourth.body.error).toMatchObject({ code: 'TOO_MANY_APPOINTMENTS' });
    expect(fourth.body.error.message).toContain('最多同时保留3个');
  });

  it('cancellation closes 2 hours before the start (policy booking.cancelDeadlineMinutes)', async () => {
    await useStoreInProcess();
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const a = await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[0]!));
    const { cancelByResident } = await import('../functions/src/appointments/service');
    const late = new Date(Date.parse(a.startAt) - 119 * 60_000);
    await expect(cancelByResident(h.accountId, a.id, late)).rejects.toMatchObject({ status: 409, code: 'CANCEL_TOO_LATE', message: expect.stringContaining('距就诊已不足2小时') });
    expect(a.cancelUntil).toBe(new Date(Date.parse(a.startAt) - 120 * 60_000).toISOString());
  });

  it('a member signed with another team, or not signed at all, cannot book', async () => {
    const team = await clinicTeam();
    const other = await signedHousehold(await arrangeTeam(10));
    const r = await http('POST', '/appointments', { token: other.token, body: bookBody(team.teamId, slotAt(tomorrow(), '08:00'), other.memberIds[0]!) });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('NOT_SIGNED_WITH_TEAM');
    const ended = await signedHousehold(team, 1, { cycleEnd: today() });
    const r2 = await http('POST', '/appointments', { token: ended.token, body: bookBody(team.teamId, slotAt(tomorrow(), '08:00'), ended.memberIds[0]!) });
    expect(r2.status).toBe(409);
    expect(r2.body.error.code).toBe('AGREEMENT_ENDS');
  });

  it('a resident who signed through the signing API books for a household member', async () => {
    const t = await arrangeTeam(100);
    const h = await household(2);
    const agr = await sign(h.token, signRequest(t.teamId, h.memberIds, [BASIC]));
    expect(agr.status).toBe('active');
    const staffToken = await staffLogin({ id: `doc-${t.teamId.slice(0, 8)}`, role: 'team_doctor', regionId: REGION, institutionId: t.institutionId, teamId: t.teamId });
    expect((await http('PUT', `/teams/${t.teamId}/rota`, { token: staffToken, body: { sessions: everyDay(1) } })).status).toBe(200);
    const elig = await http('GET', '/appointments/eligibility', { token: h.token });
    expect(elig.body.members.map((m: any) => m.memberId).sort()).toEqual([...h.memberIds].sort());
    const a = await bookOk(h, bookBody(t.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[1]!));
    expect(a.service?.itemCode).toBe(CLINIC_APPOINTMENT_ITEM_CODE);
  });
});

describe('staff: rota, day list, attendance', () => {
  it('a rota change withdraws dropped slots, cancels their bookings with a notice and returns the places', async () => {
    const team = await clinicTeam(everyDay(2));
    const h = await signedHousehold(team);
    const slotId = slotAt(tomorrow(), '09:30');
    const a = await bookOk(h, bookBody(team.teamId, slotId, h.memberIds[0]!));
    const rota = await http('GET', `/teams/${team.teamId}/rota`, { token: team.staffToken });
    expect(rota.body.rota.version).toBe(1);
    // Shorter mornings (08:00-09:30) and tomorrow closed as well.
    const sessions = everyDay(2).map((s) => ({ ...s, end: '09:30' }));
    const r = await http('PUT', `/teams/${team.teamId}/rota`, { token: team.staffToken, body: { sessions, closedDates: [addDays(today(), 5)], expectedVersion: 1 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.changes.cancelledAppointments).toBe(1);
    expect(r.body.rota.version).toBe(2);
    const slot = await storedSlot(team.teamId, slotId);
    expect(slot).toMatchObject({ status: 'withdrawn', booked: 0 });
    const mine = await http('GET', '/appointments', { token: h.token });
    expect(mine.body.appointments[0]).toMatchObject({ id: a.id, status: 'cancelled_by_clinic', statusLabel: '门诊调整，已取消' });
    const msgs = await http('GET', '/me/messages?kind=notice', { token: h.token });
    expect(msgs.body.messages[0].title).toBe('预约已取消（门诊调整）');
    expect(msgs.body.messages[0].body).toContain('门诊排班调整');
    // The slot is no longer offered.
    const slots = await http('GET', `/slots?teamId=${team.teamId}&from=${tomorrow()}&to=${tomorrow()}`, { token: h.token });
    expect(slots.body.slots.map((s: any) => s.start)).toEqual(['08:00', '08:30', '09:00']);
    // Publishing on a stale version is refused.
    const stale = await http('PUT', `/teams/${team.teamId}/rota`, { token: team.staffToken, body: { sessions, expectedVersion: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('ROTA_CHANGED');
  });

  it('lowering the places never bumps a booking', async () => {
    const team = await clinicTeam(everyDay(2));
    const h = await signedHousehold(team, 2);
    const slotId = slotAt(tomorrow(), '08:00');
    await bookOk(h, bookBody(team.teamId, slotId, h.memberIds[0]!));
    await bookOk(h, bookBody(team.teamId, slotId, h.memberIds[1]!));
    const r = await http('PUT', `/teams/${team.teamId}/rota`, { token: team.staffToken, body: { sessions: everyDay(1), expectedVersion: 1 } });
    expect(r.body.changes.cancelledAppointments).toBe(0);
    expect(await storedSlot(team.teamId, slotId)).toMatchObject({ places: 1, booked: 2, status: 'open' });
    const slots = await http('GET', `/slots?teamId=${team.teamId}&from=${tomorrow()}&to=${tomorrow()}`, { token: h.token });
    expect(slots.body.slots.find((s: any) => s.slotId === slotId).free).toBe(0);
  });

  it('the day list shows the appointments (access logged); attendance is marked on the day, no-shows only after the start', async () => {
    await useStoreInProcess();
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const a = await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[0]!, { reason: '血压复查' }));
    const day = await http('GET', `/teams/${team.teamId}/appointments?date=${tomorrow()}`, { token: team.staffToken });
    expect(day.status, JSON.stringify(day.body)).toBe(200);
    expect(day.body.appointments).toMatchObject([{ id: a.id, memberName: '成员1', reason: '血压复查', status: 'booked' }]);
    // The resident sees who read the visit reason (GET /me/access-log, issue 8).
    const log = await http('GET', '/me/access-log', { token: h.token });
    if (log.status === 200) expect(JSON.stringify(log.body)).toContain(`签约门诊接诊（${tomorrow()}）`);

    const early = await http('POST', `/appointments/${a.id}/attendance`, { token: team.staffToken, body: { outcome: 'attended' } });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe('预约日期未到，不能登记就诊情况');

    const { loadForStaff, markAttendance } = await import('../functions/src/appointments/service');
    const rec = await loadForStaff(a.id);
    await expect(markAttendance(rec, 'no_show', 'staff', new Date(Date.parse(a.startAt) - 60_000))).rejects.toMatchObject({ status: 409 });
    const marked = await markAttendance(rec, 'no_show', 'staff', new Date(Date.parse(a.startAt) + 60 * 60_000));
    expect(marked.status).toBe('no_show');
    const counter = await storedCounter(h.accountId, h.memberIds[0]!);
    expect(counter!.noShows).toEqual([tomorrow()]);
    expect(counter!.upcoming).toEqual({});
  });

  it('staff of another team cannot read or change this team', async () => {
    const team = await clinicTeam();
    const other = await arrangeTeam(10);
    const token = await staffLogin({ id: `doc-${other.teamId.slice(0, 8)}`, role: 'team_doctor', regionId: REGION, institutionId: other.institutionId, teamId: other.teamId });
    expect((await http('GET', `/teams/${team.teamId}/rota`, { token })).status).toBe(403);
    expect((await http('PUT', `/teams/${team.teamId}/rota`, { token, body: { sessions: everyDay() } })).status).toBe(403);
    expect((await http('GET', `/teams/${team.teamId}/appointments?date=${tomorrow()}`, { token })).status).toBe(403);
    const h = await signedHousehold(team);
    const a = await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[0]!));
    expect((await http('POST', `/appointments/${a.id}/attendance`, { token, body: { outcome: 'attended' } })).status).toBe(403);
    // A resident token on a staff route, and a staff token on a resident route.
    expect((await http('GET', `/teams/${team.teamId}/rota`, { token: h.token })).status).toBe(403);
    expect((await http('GET', '/appointments', { token: team.staffToken })).status).toBe(403);
  });
});

describe('no-show suspension', () => {
  it('3 no-shows within 90 days suspend online booking for 30 days, with a Chinese message saying until when', async () => {
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[0]!));
    // Arrange the history: three no-shows, the last one yesterday.
    await storeClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.bookingCounter(h.accountId, h.memberIds[0]!),
        UpdateExpression: 'SET noShows = :d',
        ExpressionAttributeValues: { ':d': [addDays(today(), -40), addDays(today(), -10), addDays(today(), -1)] },
      }),
    );
    const r = await http('POST', '/appointments', { token: h.token, body: bookBody(team.teamId, slotAt(tomorrow(), '09:00'), h.memberIds[0]!) });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('BOOKING_SUSPENDED');
    const until = addDays(today(), 28);
    const [y, m, d] = until.split('-').map(Number);
    expect(r.body.error.message).toContain(`${y}年${m}月${d}日（含）前暂停在线预约`);
  });
});

describe('reminders', () => {
  it('the day before at 18:00: one in-app reminder per appointment, however often the job runs', async () => {
    await useStoreInProcess();
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const a = await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[0]!));
    const { runReminders } = await import('../functions/src/appointments/service');
    const due = instantOf(today(), '18:00');
    if (Date.now() < due.getTime()) {
      // Before 18:00 nothing for this appointment is due.
      await runReminders(new Date(due.getTime() - 60_000));
      expect((await http('GET', '/me/messages?kind=reminder', { token: h.token })).body.messages).toHaveLength(0);
    }
    const at = new Date(Math.max(due.getTime(), Date.now()) + 60_000);
    await runReminders(at);
    await runReminders(at);
    await Promise.all([runReminders(at), runReminders(at)]);
    const msgs = await http('GET', '/me/messages?kind=reminder', { token: h.token });
    expect(msgs.body.messages).toHaveLength(1);
    expect(msgs.body.messages[0]).toMatchObject({ title: '明日就诊提醒', read: false, ref: { type: 'appointment', id: a.id } });
    expect(msgs.body.messages[0].body).toContain('08:00-08:30');
    expect(msgs.body.unread).toBe(1);
    const read = await http('POST', `/me/messages/${msgs.body.messages[0].id}/read`, { token: h.token });
    expect(read.body.message.read).toBe(true);
    expect((await http('GET', '/me/messages', { token: h.token })).body.unread).toBe(0);
  });

  it('on top of the in-app reminder: a subscribe message when a credit is held (spent once), none without', async () => {
    await useStoreInProcess();
    const team = await clinicTeam(everyDay(2));
    const withCredit = await signedHousehold(team);
    const without = await signedHousehold(team);
    const TPL = 'tpl-appt-reminder';
    await bookOk(withCredit, bookBody(team.teamId, slotAt(tomorrow(), '09:00'), withCredit.memberIds[0]!));
    await bookOk(without, bookBody(team.teamId, slotAt(tomorrow(), '09:00'), without.memberIds[0]!));
    const sub = await http('POST', '/me/subscriptions', { token: withCredit.token, body: { templateId: TPL, accepted: true, source: 'after_booking' } });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    const { runReminders } = await import('../functions/src/appointments/service');
    const { subscribeReminderChannel } = await import('../functions/src/appointments/reminder-channel');
    const { RecordingSubscribeSender } = await import('../functions/src/adapters/notify');
    const { accountOpenid } = await import('../functions/src/db/agreements.repo');
    const { getSubscribeCredit } = await import('../functions/src/db/subscriptions.repo');
    const recorder = new RecordingSubscribeSender();
    const channel = subscribeReminderChannel({ templateId: TPL, sender: () => recorder });
    const at = new Date(Math.max(instantOf(today(), '18:00').getTime(), Date.now()) + 60_000);
    await runReminders(at, channel);
    await runReminders(at, channel);
    const sent = recorder.sentTo((await accountOpenid(withCredit.accountId))!);
    expect(sent).toHaveLength(1);
    // The fixture's member name (成员1) has a digit, which WeChat's name field refuses: a neutral name is sent.
    expect(sent[0]!.data).toMatchObject({ name1: { value: '签约居民' }, thing3: { value: '测试团队' } });
    expect(sent[0]!.data.time2!.value).toMatch(/年\d+月\d+日 09:00$/);
    expect(recorder.sentTo((await accountOpenid(without.accountId))!)).toHaveLength(0);
    expect((await getSubscribeCredit(withCredit.accountId, TPL))!.credits).toBe(0);
    // Both households have the in-app reminder.
    for (const h of [withCredit, without]) expect((await http('GET', '/me/messages?kind=reminder', { token: h.token })).body.messages).toHaveLength(1);
  });

  it('a cancelled appointment gets no reminder', async () => {
    await useStoreInProcess();
    const team = await clinicTeam();
    const h = await signedHousehold(team);
    const a = await bookOk(h, bookBody(team.teamId, slotAt(tomorrow(), '08:00'), h.memberIds[0]!));
    expect((await http('DELETE', `/appointments/${a.id}`, { token: h.token })).status).toBe(200);
    const { runReminders } = await import('../functions/src/appointments/service');
    await runReminders(new Date(Math.max(instantOf(today(), '18:00').getTime(), Date.now()) + 60_000));
    expect((await http('GET', '/me/messages?kind=reminder', { token: h.token })).body.messages).toHaveLength(0);
  });
});

describe('the daily slot job', () => {
  it('rolls the horizon forward and is idempotent', async () => {
    await useStoreInProcess();
    const team = await clinicTeam(everyDay(1), { horizonDays: 3 });
    const { runDailySlots } = await import('../functions/src/appointments/service');
    const { listSlots } = await import('../functions/src/db/appointments.repo');
    const before = await listSlots(team.teamId, today(), addDays(today(), 30), true);
    expect(new Set(before.map((s) => s.date)).size).toBe(3);
    const nextDay = new Date(Date.now() + 86_400_000);
    await runDailySlots(nextDay);
    await runDailySlots(nextDay);
    const after = await listSlots(team.teamId, today(), addDays(today(), 30), true);
    expect(new Set(after.map((s) => s.date)).size).toBe(4);
    expect(after.filter((s) => s.slotId === slotIdOf(addDays(today(), 3), '08:00'))).toHaveLength(1);
  });
});
