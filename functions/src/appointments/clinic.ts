/**
 * The clinic side of appointments (issue 6): publishing a rota (slots regenerated, bookings of
 * withdrawn slots cancelled with a notice), the daily roll of the horizon, the day list,
 * attendance, and the hourly day-before reminders. load → decide (shared/src/domain/appointments)
 * → apply (../db/appointments.tx.ts); every function takes `now`.
 */
import { addDays, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { ConflictError, NotFoundError } from '@jiayi/shared/domain/errors';
import { generateSlots, type RotaRules } from '@jiayi/shared/domain/appointments/rota';
import { planSlotChanges, type WithdrawReason } from '@jiayi/shared/domain/appointments/reconcile';
import { attendanceCheck, reminderDue, type AttendanceOutcome } from '@jiayi/shared/domain/appointments/rules';
import { clinicCancellationMessage, planAttendance, planCancellation, planReminder, reminderMessage, REMINDER_SHARDS } from '@jiayi/shared/domain/appointments/booking';
import { APPOINTMENT_STATUSES, type RotaBody, type RotaChanges, type SlotView, type StaffAppointmentView } from '@jiayi/shared/schemas/appointments';
import {
  clearReminder,
  createSlot,
  dueReminders,
  findAppointment,
  getAppointment,
  getRota,
  listRotaTeams,
  listSlots,
  listTeamDay,
  putRota,
  updateSlot,
  withdrawSlot,
  type AppointmentRecord,
  type RotaRecord,
} from '../db/appointments.repo';
import { recordAccess } from '../db/access-log.repo';
import { applyAppointmentPlan } from '../db/appointments.tx';
import { newMessageId, type MessageRecord } from '../db/messages.repo';
import type { TeamRecord } from '../db/teams.repo';
import { settings } from '../lib/config';
import { log } from '../lib/log';
import { slotView, staffAppointmentView } from './views';

// ---------------------------------------------------------------- rota

const rotaChanged = () => new ConflictError('ROTA_CHANGED', '排班已被他人修改，请刷新后重新编辑');

export async function publishRota(input: { team: TeamRecord; body: RotaBody; by: string; now: Date }): Promise<{ rota: RotaRecord; changes: RotaChanges }> {
  const current = await getRota(input.team.id);
  if (current && input.body.expectedVersion === undefined) throw new ConflictError('ROTA_EXISTS', '该团队已有排班，请在当前排班的基础上修改后发布');
  if (current && input.body.expectedVersion !== current.version) throw rotaChanged();
  if (!current && input.body.expectedVersion !== undefined && input.body.expectedVersion !== 0) throw rotaChanged();
  const rota: RotaRecord = {
    teamId: input.team.id,
    institutionId: input.team.institutionId,
    regionId: input.team.regionId,
    sessions: input.body.sessions,
    closedDates: [...input.body.closedDates].sort(),
    horizonDays: input.body.horizonDays,
    version: (current?.version ?? 0) + 1,
    publishedAt: input.now.toISOString(),
    publishedBy: input.by,
  };
  if (!(await putRota(rota, current?.version))) throw rotaChanged();
  const changes = await reconcileTeam(rota, input.now);
  return { rota, changes };
}

const WITHDRAW_TEXT: Record<WithdrawReason, string> = { closed_date: '门诊停诊', rota_changed: '门诊排班调整' };

/** Brings the stored slots of a team in line with its rota over the horizon (publish and the daily job). */
export async function reconcileTeam(rota: RotaRecord, now: Date): Promise<RotaChanges> {
  const today = localDateOf(now);
  const rules: RotaRules = { sessions: rota.sessions, closedDates: rota.closedDates, horizonDays: rota.horizonDays };
  const desired = generateSlots(rules, today);
  // Stored slots beyond the horizon are included: a shorter horizon withdraws them too.
  const stored = await listSlots(rota.teamId, today, addDays(today, 400), true);
  const plan = planSlotChanges({ desired, stored, closedDates: rota.closedDates, now });
  let created = 0;
  for (const s of plan.create) if (await createSlot(rota.teamId, s, rota.version)) created++;
  for (const u of plan.update) await updateSlot(rota.teamId, u.slot, rota.version);
  let cancelled = 0;
  for (const w of plan.withdraw) {
    await withdrawSlot(rota.teamId, w.slot.slotId, w.reason, rota.version);
    if (w.slot.booked > 0) cancelled += await cancelSlotBookings(rota.teamId, w.slot, WITHDRAW_TEXT[w.reason], now);
  }
  for (const s of plan.sweep) cancelled += await cancelSlotBookings(rota.teamId, s, WITHDRAW_TEXT.rota_changed, now);
  return { created, updated: plan.update.length, withdrawn: plan.withdraw.length, cancelledAppointments: cancelled };
}

/** Cancels every booked appointment of a withdrawn slot, each with an in-app notice to the household. */
async function cancelSlotBookings(teamId: string, slot: { slotId: string; date: LocalDate; start: string }, why: string, now: Date): Promise<number> {
  let n = 0;
  for (const hit of (await listTeamDay(teamId, slot.date)).filter((a) => a.slotId === slot.slotId && a.status === 'booked')) {
    const a = await getAppointment(hit.accountId, hit.id);
    if (!a || a.status !== 'booked') continue;
    const message = clinicCancellationMessage(a, why, newMessageId(), now);
    const applied = await applyAppointmentPlan(planCancellation(a, { status: 'cancelled_by_clinic', reason: why, by: 'system', now, message }));
    // Not committed: cancelled or marked meanwhile.
    if (applied.kind === 'committed') n++;
  }
  return n;
}

/** The daily job: roll every published rota's horizon forward (new slots for the new day). */
export async function runDailySlots(now: Date): Promise<{ teams: number; created: number; withdrawn: number; cancelledAppointments: number; failed: number }> {
  const out = { teams: 0, created: 0, withdrawn: 0, cancelledAppointments: 0, failed: 0 };
  for (const teamId of await listRotaTeams()) {
    try {
      const rota = await getRota(teamId);
      if (!rota) continue;
      const c = await reconcileTeam(rota, now);
      out.teams++;
      out.created += c.created;
      out.withdrawn += c.withdrawn;
      out.cancelledAppointments += c.cancelledAppointments;
    } catch (e) {
      out.failed++;
      log.error('slot generation failed', { teamId, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

// ---------------------------------------------------------------- staff: day list, attendance

/**
 * A team's day list for its staff. The visit reason may describe a health condition: the read is
 * logged once per household member in the resident's access log.
 */
export async function teamDay(teamId: string, date: LocalDate, reader: { staffId: string; role: string }, now: Date): Promise<{ appointments: StaffAppointmentView[]; slots: SlotView[]; accounts: { accountId: string; memberId: string }[] }> {
  const [list, slots] = await Promise.all([listTeamDay(teamId, date), listSlots(teamId, date, date)]);
  const sorted = list.sort((a, b) => a.start.localeCompare(b.start) || a.memberName.localeCompare(b.memberName, 'zh-CN'));
  const read = new Map(sorted.map((a) => [`${a.accountId}#${a.memberId}`, a]));
  const fields = ['appointment.memberName', 'appointment.reason'];
  const at = now.toISOString();
  await Promise.all([...read.values()].map((a) => recordAccess({ ...reader, subjectAccountId: a.accountId, memberId: a.memberId, fields, purpose: `签约门诊接诊（${date}）`, at })));
  return {
    appointments: sorted.map(staffAppointmentView),
    slots: slots.filter((s) => s.status === 'open' || s.booked > 0).map(slotView),
    accounts: sorted.map((a) => ({ accountId: a.accountId, memberId: a.memberId })),
  };
}

export async function loadForStaff(id: string): Promise<AppointmentRecord> {
  const a = await findAppointment(id);
  if (!a) throw new NotFoundError('未找到该预约', 'APPOINTMENT_NOT_FOUND');
  return a;
}

export async function markAttendance(a: AppointmentRecord, outcome: AttendanceOutcome, by: string, now: Date): Promise<AppointmentRecord> {
  if (a.status === outcome) return a;
  if (a.status !== 'booked') throw new ConflictError('APPOINTMENT_ENDED', `该预约${APPOINTMENT_STATUSES[a.status]}，不能再登记`);
  const check = attendanceCheck({ outcome, date: a.date, startAt: a.startAt, now });
  if (!check.ok) throw new ConflictError('TOO_EARLY', check.message);
  const applied = await applyAppointmentPlan(planAttendance(a, outcome, by, now));
  if (applied.kind === 'refuse') throw applied.error;
  return (await getAppointment(a.accountId, a.id))!;
}

// ---------------------------------------------------------------- reminders

export interface ReminderChannel {
  /**
   * The external channel on top of the in-app message (subscribe message when the resident holds
   * a credit). Never throws; returns what happened, for the log.
   */
  send(a: AppointmentRecord, message: MessageRecord): Promise<'sent' | 'skipped' | 'failed'>;
}

/** In-app only (no external channel): tests, and deployments without a reminder template. */
export const inboxOnly: ReminderChannel = { send: async () => 'skipped' };

/** The hourly job: every due reminder once (marker in the same transaction as the in-app message). */
export async function runReminders(now: Date, channel: ReminderChannel = inboxOnly): Promise<{ sent: number; skipped: number; external: Record<string, number> }> {
  const out = { sent: 0, skipped: 0, external: {} as Record<string, number> };
  const time = settings().appointmentReminderTime;
  for (let shard = 0; shard < REMINDER_SHARDS; shard++) {
    for await (const hit of dueReminders(shard, now)) {
      const a = await getAppointment(hit.accountId, hit.id);
      const due = a && a.status === 'booked' && !a.remindedAt && reminderDue({ date: a.date, startAt: a.startAt, bookedAt: a.bookedAt, now, reminderTime: time });
      const message = a && due ? reminderMessage(a, newMessageId(), now) : undefined;
      // Booked after the reminder time, started, ended, or reminded meanwhile: nothing to send; off the index.
      if (!a || !message || (await applyAppointmentPlan(planReminder(a, message, now))).kind !== 'committed') {
        await clearReminder(hit.accountId, hit.id);
        out.skipped++;
        continue;
      }
      out.sent++;
      const r = await channel.send(a, message);
      out.external[r] = (out.external[r] ?? 0) + 1;
    }
  }
  return out;
}
