/**
 * Appointments at the signing clinic (issue 6).
 *
 * Residents (their own household only; every key starts with the caller's account):
 *   GET    /appointments/eligibility   members who may book, their team, the items a visit can serve
 *   GET    /slots?teamId&from&to       free places of the team's signing clinic (signed households only)
 *   POST   /appointments               book (idempotency key) → 201, a replay → 200
 *   GET    /appointments               我的预约
 *   DELETE /appointments/{id}          cancel up to the deadline (policy booking.cancelDeadlineMinutes)
 * Staff (scoped with assertStaffCovers; reads of residents' visit reasons go to the access log):
 *   GET    /teams/{id}/rota            the published rota
 *   PUT    /teams/{id}/rota            publish (optimistic version) → slots regenerated, affected residents notified
 *   GET    /teams/{id}/appointments?date   the day's appointments and slots
 *   POST   /appointments/{id}/attendance   attended / no-show
 */
import { localDateOf } from '@jiayi/shared/domain/dates';
import { appointmentParams, attendanceBody, bookBody, dayQuery, rotaBody, slotsQuery } from '@jiayi/shared/schemas/appointments';
import { reply, route, router } from '../http/with-http';
import { assertStaffCovers } from '../http/scope';
import { getRota } from '../db/appointments.repo';
import { getTeam } from '../db/teams.repo';
import { NotFoundError } from '@jiayi/shared/domain/errors';
import * as z from 'zod';
import {
  appointmentView,
  book,
  cancelByResident,
  eligibility,
  loadForStaff,
  markAttendance,
  myAppointments,
  publishRota,
  rotaView,
  slotsFor,
  teamDay,
} from './service';
import { log } from '../lib/log';

const teamIdParams = z.object({ id: z.string().min(1, '请指定团队').max(64, '团队编号格式有误').regex(/^[A-Za-z0-9_-]+$/, '团队编号格式有误') });

async function staffTeam(principal: Parameters<typeof assertStaffCovers>[0], teamId: string) {
  const team = await getTeam(teamId);
  if (!team) throw new NotFoundError('未找到该家庭医生团队', 'TEAM_NOT_FOUND');
  assertStaffCovers(principal, { teamId: team.id, institutionId: team.institutionId, regionId: team.regionId });
  return team;
}

export const handler = router({
  'GET /appointments/eligibility': route({ auth: 'resident' }, async ({ principal, now }) => eligibility(principal.sub, now)),

  'GET /slots': route({ auth: 'resident', query: slotsQuery }, async ({ principal, query, now }) => slotsFor(principal.sub, query, now)),

  'POST /appointments': route({ auth: 'resident', body: bookBody }, async ({ principal, body, now, requestId }) => {
    const r = await book(principal.sub, body, now);
    if (r.created) log.info('appointment booked', { requestId, appointmentId: r.appointment.id, slotId: r.appointment.slotId });
    return reply(r.created ? 201 : 200, { appointment: appointmentView(r.appointment, now) });
  }),

  'GET /appointments': route({ auth: 'resident' }, async ({ principal, now }) => ({ appointments: await myAppointments(principal.sub, now) })),

  'DELETE /appointments/{id}': route({ auth: 'resident', params: appointmentParams }, async ({ principal, params, now }) => ({
    appointment: appointmentView(await cancelByResident(principal.sub, params.id, now), now),
  })),

  'GET /teams/{id}/rota': route({ auth: 'staff', params: teamIdParams }, async ({ principal, params }) => {
    const team = await staffTeam(principal, params.id);
    const rota = await getRota(team.id);
    return { rota: rota ? rotaView(rota) : null };
  }),

  'PUT /teams/{id}/rota': route(
    { auth: 'staff', roles: ['team_doctor', 'team_assistant', 'institution_admin'], params: teamIdParams, body: rotaBody },
    async ({ principal, params, body, now, requestId }) => {
      const team = await staffTeam(principal, params.id);
      const r = await publishRota({ team, body, by: principal.sub, now });
      log.info('rota published', { requestId, teamId: team.id, version: r.rota.version, ...r.changes });
      return { rota: rotaView(r.rota), changes: r.changes };
    },
  ),

  'GET /teams/{id}/appointments': route({ auth: 'staff', params: teamIdParams, query: dayQuery }, async ({ principal, params, query, now }) => {
    const team = await staffTeam(principal, params.id);
    const day = await teamDay(team.id, query.date, { staffId: principal.sub, role: principal.role ?? '' }, now);
    return { teamId: team.id, date: query.date, appointments: day.appointments, slots: day.slots, today: localDateOf(now) };
  }),

  'POST /appointments/{id}/attendance': route(
    { auth: 'staff', roles: ['team_doctor', 'team_assistant', 'institution_admin'], params: appointmentParams, body: attendanceBody },
    async ({ principal, params, body, now }) => {
      const a = await loadForStaff(params.id);
      assertStaffCovers(principal, { teamId: a.teamId, institutionId: a.institutionId, regionId: a.regionId }, '无权登记其他团队的预约');
      const updated = await markAttendance(a, body.outcome, principal.sub, now);
      const { canCancel: _c, cancelUntil: _u, ...view } = appointmentView(updated, now);
      return { appointment: view };
    },
  ),
});
