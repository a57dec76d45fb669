/**
 * Appointments at the signing clinic as plans (issue 6; docs/table-design.md "Appointments"):
 * booking, cancellation (resident or clinic), attendance and the day-before reminder. Each
 * decision takes the loaded state (agreement, slot, the member's counter, policy, now) and returns
 * named writes with what their failed conditions mean; functions/src/db/appointments.tx.ts
 * translates them.
 */
import { localDateOf, type LocalDate } from '../dates';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import { BOOKING_DEFAULTS, policyFor, type BookingPolicy } from '../policy';
import type { Plan, PlanItem } from '../plan';
import { replayOf, retry } from '../plan';
import type { MessageRecord } from '../messages';
import type { AgreementRecord } from '../agreements/record';
import type { AppointmentStatus } from '../../schemas/appointments';
import { freePlaces, type StoredSlot } from './reconcile';
import { SESSION_KINDS, slotDateOf } from './rota';
import { durationText, futureAppointments, reminderAt, slotText, suspensionMessage, suspensionOn, type AttendanceOutcome } from './rules';
import { serviceFor } from './services';

/** Shards of the reminder index (`APPT#REMIND#<0..3>`). */
export const REMINDER_SHARDS = 4;

/** The resident's appointment list in the mini-program (links of notices and reminders). */
export const MINE_PAGE = '/appointments/pages/mine/index';

/** An appointment: the slot's session (date, times, kind, doctor) it was booked on, and who, why and what became of it. */
export interface AppointmentRecord extends Pick<StoredSlot, 'slotId' | 'date' | 'start' | 'end' | 'startAt' | 'kind' | 'doctor'> {
  id: string;
  accountId: string;
  memberId: string;
  memberName: string;
  teamId: string;
  teamName: string;
  institutionId: string;
  regionId: string;
  agreementId: string;
  reason: string;
  /** The promised item this visit serves (fulfilment counts it later). */
  service?: { packageCode: string; itemCode: string; itemName: string };
  status: AppointmentStatus;
  bookedAt: string;
  endedAt?: string;
  cancelReason?: string;
  /** Who ended it: the resident's account, a staff id, or 'system' (rota change). */
  endedBy?: string;
  remindAt: string;
  remindedAt?: string;
  idempotencyKey: string;
  shard: number;
  version: number;
}

export interface CounterRecord {
  /** appointmentId → startAt of the member's booked appointments (past ones are pruned on the next booking). */
  upcoming: Record<string, string>;
  /** Slot dates of recorded no-shows. */
  noShows: LocalDate[];
  /** 0 when the item does not exist yet. */
  v: number;
}

export type AppointmentWrite =
  /** One place of the slot: open, not started, a place left. */
  | { op: 'takeSlot'; teamId: string; slotId: string; now: string }
  | { op: 'returnSlot'; teamId: string; slotId: string }
  /** One appointment per member per start instant. */
  | { op: 'timeLock'; appointment: AppointmentRecord }
  | { op: 'releaseTimeLock'; appointment: AppointmentRecord }
  /** The member's counter at the version read (0: not there yet). */
  | { op: 'counter'; accountId: string; memberId: string; upcoming: Record<string, string>; readV: number }
  | { op: 'counterRemove'; appointment: AppointmentRecord; noShow?: LocalDate }
  | { op: 'idempotency'; appointment: AppointmentRecord; requestHash: string; now: string }
  | { op: 'appointment'; appointment: AppointmentRecord }
  /** booked → status (cancelled, cancelled_by_clinic, attended, no_show). */
  | { op: 'end'; appointment: AppointmentRecord; status: AppointmentStatus; by: string; now: string; reason?: string }
  | { op: 'reminderMarker'; appointment: AppointmentRecord; messageId: string; now: string }
  | { op: 'reminded'; appointment: AppointmentRecord; now: string }
  | { op: 'message'; message: MessageRecord };

export type AppointmentPlan = Plan<AppointmentWrite>;
type Item = PlanItem<AppointmentWrite>;

/** The region's booking limits (BOOKING_DEFAULTS when the region has no policy in force). */
export function bookingPolicy(regionId: string, today: LocalDate): BookingPolicy {
  try {
    return policyFor(regionId, today).booking;
  } catch {
    return BOOKING_DEFAULTS;
  }
}

const unavailable = () => new ConflictError('SLOT_UNAVAILABLE', '该时段已停诊或不存在，请选择其他时段');
const past = () => new ConflictError('SLOT_PAST', '该时段已过，请选择其他时段');
const full = () => new ConflictError('SLOT_FULL', '该时段已约满，请选择其他时段');

export function bookingBusy(): ConflictError {
  return new ConflictError('BOOKING_BUSY', '预约人数较多，请稍后再试');
}

export function idempotencyKeyReused(): ConflictError {
  return new ConflictError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一次预约，请刷新后重试');
}

// ---------------------------------------------------------------- booking

export interface BookingState {
  accountId: string;
  body: { teamId: string; slotId: string; memberId: string; reason: string; itemCode?: string; idempotencyKey: string };
  requestHash: string;
  /** The member's current active agreement (undefined: not signed). */
  agreement: AgreementRecord | undefined;
  slot: StoredSlot | undefined;
  counter: CounterRecord;
  reminderTime: string;
  now: Date;
  id: string;
}

/**
 * POST /appointments: a member of the caller's household with an active agreement books a place of
 * their own team's signing clinic. The transaction takes the place, the member's time lock, the
 * counter at the version read (limits decided on it), the idempotency item and the appointment.
 */
export function planBooking(s: BookingState): { appointment: AppointmentRecord; plan: AppointmentPlan } {
  const { body, agreement: a, slot, now } = s;
  const today = localDateOf(now);
  // An id from another household is simply not one of this account's signed members.
  if (!a) throw new ForbiddenError('该成员没有生效中的签约协议，不能预约签约门诊', 'NOT_SIGNED');
  if (a.teamId !== body.teamId) throw new ForbiddenError('该成员签约的不是这个团队，只能预约本人签约团队的签约门诊', 'NOT_SIGNED_WITH_TEAM');
  if (a.cycleEnd < slotDateOf(body.slotId)) throw new ConflictError('AGREEMENT_ENDS', `该成员的签约协议于${a.cycleEnd}到期，不能预约之后的号源，请先续约`);
  const member = a.members.find((m) => m.memberId === body.memberId)!;
  const service = serviceFor(member.packages, body.itemCode);
  if (service.issue) throw new ValidationError(service.issue);
  const nowIso = now.toISOString();
  if (!slot || slot.status !== 'open') throw unavailable();
  if (slot.startAt <= nowIso) throw past();
  if (freePlaces(slot) === 0) throw full();
  const policy = bookingPolicy(a.regionId, today);
  const suspended = suspensionOn(s.counter.noShows, policy, today);
  if (suspended) throw new ConflictError('BOOKING_SUSPENDED', suspensionMessage(member.name, suspended, policy));
  const upcoming = futureAppointments(s.counter.upcoming, now);
  if (Object.keys(upcoming).length >= policy.maxFutureAppointments) {
    throw new ConflictError('TOO_MANY_APPOINTMENTS', `${member.name}已有${policy.maxFutureAppointments}个未就诊的预约，每位成员最多同时保留${policy.maxFutureAppointments}个；请就诊或取消后再预约`);
  }
  const appointment: AppointmentRecord = {
    id: s.id,
    accountId: s.accountId,
    memberId: member.memberId,
    memberName: member.name,
    teamId: a.teamId,
    teamName: a.teamName,
    institutionId: a.institutionId,
    regionId: a.regionId,
    agreementId: a.id,
    slotId: slot.slotId,
    date: slot.date,
    start: slot.start,
    end: slot.end,
    startAt: slot.startAt,
    kind: slot.kind,
    ...(slot.doctor ? { doctor: slot.doctor } : {}),
    reason: body.reason,
    ...(service.choice ? { service: { packageCode: service.choice.packageCode, itemCode: service.choice.itemCode, itemName: service.choice.itemName } } : {}),
    status: 'booked',
    bookedAt: nowIso,
    remindAt: reminderAt(slot.date, s.reminderTime),
    idempotencyKey: body.idempotencyKey,
    shard: parseInt(s.id.slice(0, 2), 16) % REMINDER_SHARDS,
    version: 1,
  };
  const conflict = new ConflictError('TIME_CONFLICT', `${member.name}在${slotText(slot.date, slot.start)}已有预约，同一时间只能预约一个号源`);
  // Precedence of failures = item order: a replay, the member's time, the slot, then the counter.
  const items: Item[] = [
    { name: 'idempotency', write: { op: 'idempotency', appointment, requestHash: s.requestHash, now: nowIso }, onFail: (stored) => replayOf(stored, 'appointmentId') },
    { name: 'timeLock', write: { op: 'timeLock', appointment }, onFail: () => ({ kind: 'refuse', error: conflict }) },
    {
      name: 'slot',
      write: { op: 'takeSlot', teamId: a.teamId, slotId: slot.slotId, now: nowIso },
      onFail: (stored) => ({ kind: 'refuse', error: !stored || stored.status !== 'open' ? unavailable() : String(stored.startAt ?? '') <= nowIso ? past() : full() }),
    },
    // Only the counter moved (another booking, cancellation or mark of this member): decide again.
    { name: 'counter', write: { op: 'counter', accountId: s.accountId, memberId: member.memberId, upcoming: { ...upcoming, [s.id]: slot.startAt }, readV: s.counter.v }, onFail: retry },
    { name: 'appointment', write: { op: 'appointment', appointment } },
  ];
  return { appointment, plan: { items, busy: bookingBusy() } };
}

// ---------------------------------------------------------------- ending an appointment

/** The end of a booked appointment: its place, time lock and counter entry come back (a cancellation). */
export function planCancellation(a: AppointmentRecord, input: { status: 'cancelled' | 'cancelled_by_clinic'; reason: string; by: string; now: Date; message?: MessageRecord }): AppointmentPlan {
  const now = input.now.toISOString();
  const items: Item[] = [
    // No longer booked: cancelled or marked meanwhile (read again).
    { name: 'appointment', write: { op: 'end', appointment: a, status: input.status, by: input.by, now, reason: input.reason }, onFail: retry },
    { name: 'slot', write: { op: 'returnSlot', teamId: a.teamId, slotId: a.slotId } },
    { name: 'timeLock', write: { op: 'releaseTimeLock', appointment: a } },
    { name: 'counter', write: { op: 'counterRemove', appointment: a } },
  ];
  if (input.message) items.push({ name: 'message', write: { op: 'message', message: input.message } });
  return { items };
}

/** Staff mark attended / no-show; a no-show date goes to the member's counter (suspensionOn). */
export function planAttendance(a: AppointmentRecord, outcome: AttendanceOutcome, by: string, now: Date): AppointmentPlan {
  return {
    items: [
      {
        name: 'appointment',
        write: { op: 'end', appointment: a, status: outcome, by, now: now.toISOString() },
        onFail: () => ({ kind: 'refuse', error: new ConflictError('APPOINTMENT_ENDED', '该预约状态已变化，请刷新后重试') }),
      },
      { name: 'counter', write: { op: 'counterRemove', appointment: a, ...(outcome === 'no_show' && { noShow: a.date }) } },
    ],
  };
}

/** The day-before reminder at most once: the marker, the in-app message and the appointment (still booked). */
export function planReminder(a: AppointmentRecord, message: MessageRecord, now: Date): AppointmentPlan {
  const at = now.toISOString();
  return {
    items: [
      { name: 'marker', write: { op: 'reminderMarker', appointment: a, messageId: message.id, now: at }, onFail: retry },
      { name: 'message', write: { op: 'message', message } },
      { name: 'appointment', write: { op: 'reminded', appointment: a, now: at }, onFail: retry },
    ],
  };
}

// ---------------------------------------------------------------- messages

/** The clinic withdrew the slot: the household's notice that the appointment is cancelled. */
export function clinicCancellationMessage(a: AppointmentRecord, why: string, id: string, now: Date): MessageRecord {
  return {
    id,
    accountId: a.accountId,
    kind: 'notice',
    title: '预约已取消（门诊调整）',
    body: `因${why}，${a.memberName}在${a.teamName}${slotText(a.date, a.start)}的签约门诊预约已取消，名额已退回。给您带来不便，敬请谅解，请重新选择其他时段预约。`,
    at: now.toISOString(),
    memberId: a.memberId,
    ref: { type: 'appointment', id: a.id },
    link: MINE_PAGE,
  };
}

export function reminderMessage(a: AppointmentRecord, id: string, now: Date): MessageRecord {
  const deadline = durationText(bookingPolicy(a.regionId, localDateOf(now)).cancelDeadlineMinutes);
  return {
    id,
    accountId: a.accountId,
    kind: 'reminder',
    title: '明日就诊提醒',
    body: `${a.memberName}已预约${a.teamName}签约门诊：${slotText(a.date, a.start)}-${a.end}（${SESSION_KINDS[a.kind]}${a.doctor ? `，${a.doctor}` : ''}）。请携带身份证或社保卡按时就诊；如不能前往，请至少提前${deadline}在“我的预约”中取消。`,
    at: now.toISOString(),
    memberId: a.memberId,
    ref: { type: 'appointment', id: a.id },
    link: MINE_PAGE,
  };
}
