/**
 * Residents book and cancel at their team's signing clinic (issue 6): load → decide
 * (shared/src/domain/appointments/booking.ts) → apply (../db/appointments.tx.ts). Every function
 * takes `now`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { addDays, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { ConflictError, ForbiddenError, NotFoundError } from '@jiayi/shared/domain/errors';
import { BOOKING_DEFAULTS } from '@jiayi/shared/domain/policy';
import { bookableServices } from '@jiayi/shared/domain/appointments/services';
import { bookingBusy, bookingPolicy, idempotencyKeyReused, planBooking, planCancellation } from '@jiayi/shared/domain/appointments/booking';
import { cancelCheck } from '@jiayi/shared/domain/appointments/rules';
import { APPOINTMENT_STATUSES, type AppointmentView, type BookBody, type Eligibility } from '@jiayi/shared/schemas/appointments';
import { activeAgreementForMember, listAgreementsForAccount, type AgreementRecord } from '../db/agreements.repo';
import { getAppointment, getCounter, getSlot, idempotentAppointment, listAppointments, listSlots, type AppointmentRecord } from '../db/appointments.repo';
import { applyAppointmentPlan } from '../db/appointments.tx';
import { getTeam } from '../db/teams.repo';
import { settings } from '../lib/config';
import { appointmentView, slotView } from './views';

const MAX_COUNTER_RETRIES = 6;

/** Members of the caller's household with an active agreement (the team they may book) and the items a visit can serve. */
export async function eligibility(accountId: string, now: Date): Promise<Eligibility> {
  const today = localDateOf(now);
  const agreements = (await listAgreementsForAccount(accountId)).filter((a) => a.status === 'active' && a.cycleEnd >= today);
  const members: Eligibility['members'] = [];
  const seen = new Set<string>();
  for (const a of agreements.sort((x, y) => y.createdAt.localeCompare(x.createdAt))) {
    for (const m of a.members) {
      if (seen.has(m.memberId)) continue;
      seen.add(m.memberId);
      members.push({
        memberId: m.memberId,
        name: m.name,
        relation: m.relation,
        teamId: a.teamId,
        teamName: a.teamName,
        agreementId: a.id,
        services: bookableServices(m.packages).map((c) => ({ packageCode: c.packageCode, itemCode: c.itemCode, itemName: c.itemName })),
      });
    }
  }
  const policy = agreements[0] ? bookingPolicy(agreements[0].regionId, today) : BOOKING_DEFAULTS;
  return {
    members,
    policy: { maxFutureAppointments: policy.maxFutureAppointments, cancelDeadlineMinutes: policy.cancelDeadlineMinutes },
    reminderTemplateId: settings().appointmentReminderTemplateId ?? null,
  };
}

/** Residents see only the signing clinic of a team somebody in their household is actively signed with. */
async function assertSignedWithTeam(accountId: string, teamId: string, today: LocalDate): Promise<AgreementRecord> {
  const a = (await listAgreementsForAccount(accountId)).find((x) => x.teamId === teamId && x.status === 'active' && x.cycleEnd >= today);
  if (!a) throw new ForbiddenError('仅与本团队签约的居民可以查看和预约签约门诊', 'NOT_SIGNED_WITH_TEAM');
  return a;
}

export async function slotsFor(accountId: string, q: { teamId: string; from?: string; to?: string }, now: Date) {
  const today = localDateOf(now);
  await assertSignedWithTeam(accountId, q.teamId, today);
  const team = await getTeam(q.teamId);
  if (!team) throw new NotFoundError('未找到该家庭医生团队', 'TEAM_NOT_FOUND');
  const from = q.from && q.from > today ? q.from : today;
  const to = q.to ?? addDays(from, 13);
  const nowIso = now.toISOString();
  const slots = from > to ? [] : (await listSlots(q.teamId, from, to)).filter((s) => s.status === 'open' && s.startAt > nowIso);
  return { teamId: team.id, teamName: team.name, from, to, slots: slots.map(slotView) };
}

function hashBooking(b: BookBody): string {
  return createHash('sha256').update(JSON.stringify([b.teamId, b.slotId, b.memberId, b.reason, b.itemCode ?? ''])).digest('hex').slice(0, 32);
}

async function replay(accountId: string, appointmentId: string, knownHash: string, hash: string): Promise<{ appointment: AppointmentRecord; created: false }> {
  const a = knownHash === hash ? await getAppointment(accountId, appointmentId) : undefined;
  if (!a) throw idempotencyKeyReused();
  return { appointment: a, created: false };
}

/** POST /appointments: the place, the member's time and limits are decided by the transaction's conditions. */
export async function book(accountId: string, body: BookBody, now: Date): Promise<{ appointment: AppointmentRecord; created: boolean }> {
  const hash = hashBooking(body);
  const known = await idempotentAppointment(accountId, body.idempotencyKey);
  if (known) return replay(accountId, known.appointmentId, known.requestHash, hash);
  const [agreement, slot] = await Promise.all([activeAgreementForMember(accountId, body.memberId, localDateOf(now)), getSlot(body.teamId, body.slotId)]);
  for (let attempt = 0; attempt <= MAX_COUNTER_RETRIES; attempt++) {
    const counter = await getCounter(accountId, body.memberId);
    const d = planBooking({ accountId, body, requestHash: hash, agreement, slot, counter, reminderTime: settings().appointmentReminderTime, now, id: randomUUID() });
    const applied = await applyAppointmentPlan(d.plan);
    if (applied.kind === 'committed') return { appointment: d.appointment, created: true };
    if (applied.kind === 'replay') return replay(accountId, applied.id, applied.requestHash, hash);
    if (applied.kind === 'refuse') throw applied.error;
  }
  throw bookingBusy();
}

export async function myAppointments(accountId: string, now: Date): Promise<AppointmentView[]> {
  return (await listAppointments(accountId)).map((a) => appointmentView(a, now));
}

/** DELETE /appointments/{id}: up to the policy's deadline; a repeated cancellation is a no-op. */
export async function cancelByResident(accountId: string, id: string, now: Date): Promise<AppointmentRecord> {
  for (let attempt = 0; attempt < MAX_COUNTER_RETRIES; attempt++) {
    const a = await getAppointment(accountId, id);
    if (!a) throw new NotFoundError('未找到该预约', 'APPOINTMENT_NOT_FOUND');
    if (a.status === 'cancelled' || a.status === 'cancelled_by_clinic') return a;
    if (a.status !== 'booked') throw new ConflictError('APPOINTMENT_ENDED', `该预约${APPOINTMENT_STATUSES[a.status]}，不能取消`);
    const check = cancelCheck({ startAt: a.startAt, now, policy: bookingPolicy(a.regionId, localDateOf(now)) });
    if (!check.ok) throw new ConflictError(check.code === 'TOO_LATE' ? 'CANCEL_TOO_LATE' : 'APPOINTMENT_STARTED', check.message);
    const applied = await applyAppointmentPlan(planCancellation(a, { status: 'cancelled', reason: '居民取消', by: accountId, now }));
    const fresh = await getAppointment(accountId, id);
    // Cancelled or marked meanwhile: that is the answer.
    if (applied.kind === 'committed' || (fresh && fresh.status !== 'booked')) return fresh!;
  }
  throw bookingBusy();
}
