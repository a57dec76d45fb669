/** Response views of slots, appointments and rotas (shared/src/schemas/appointments.ts). */
import { localDateOf } from '@jiayi/shared/domain/dates';
import { bookingPolicy } from '@jiayi/shared/domain/appointments/booking';
import { freePlaces } from '@jiayi/shared/domain/appointments/reconcile';
import { SESSION_KINDS } from '@jiayi/shared/domain/appointments/rota';
import { cancelCheck } from '@jiayi/shared/domain/appointments/rules';
import { APPOINTMENT_STATUSES, type AppointmentView, type RotaView, type SlotView, type StaffAppointmentView } from '@jiayi/shared/schemas/appointments';
import type { AppointmentRecord, RotaRecord, SlotRecord } from '../db/appointments.repo';

/** The clinic session of a slot or of the appointment booked on it. */
function session(s: Pick<SlotRecord, 'slotId' | 'date' | 'start' | 'end' | 'startAt' | 'kind' | 'doctor'>) {
  return { slotId: s.slotId, date: s.date, start: s.start, end: s.end, startAt: s.startAt, kind: s.kind, kindLabel: SESSION_KINDS[s.kind], doctor: s.doctor ?? null };
}

export function slotView(s: SlotRecord): SlotView {
  return { ...session(s), places: s.places, free: freePlaces(s) };
}

/** What staff see of an appointment (the day list). */
export function staffAppointmentView(a: AppointmentRecord): StaffAppointmentView {
  return {
    id: a.id,
    teamId: a.teamId,
    teamName: a.teamName,
    ...session(a),
    memberId: a.memberId,
    memberName: a.memberName,
    reason: a.reason,
    service: a.service ?? null,
    status: a.status,
    statusLabel: APPOINTMENT_STATUSES[a.status],
    bookedAt: a.bookedAt,
    endedAt: a.endedAt ?? null,
    cancelReason: a.cancelReason ?? null,
  };
}

/** The resident's view: whether and until when they may cancel online. */
export function appointmentView(a: AppointmentRecord, now: Date): AppointmentView {
  const policy = bookingPolicy(a.regionId, localDateOf(now));
  const cancelUntil = new Date(Date.parse(a.startAt) - policy.cancelDeadlineMinutes * 60_000).toISOString();
  return { ...staffAppointmentView(a), canCancel: a.status === 'booked' && cancelCheck({ startAt: a.startAt, now, policy }).ok, cancelUntil };
}

export function rotaView(r: RotaRecord): RotaView {
  return { teamId: r.teamId, sessions: r.sessions, closedDates: r.closedDates, horizonDays: r.horizonDays, version: r.version, publishedAt: r.publishedAt, publishedBy: r.publishedBy };
}
