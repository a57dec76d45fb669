/**
 * Appointments at the signing clinic (issue 6): load → decide (shared/src/domain/appointments)
 * → save (one transaction, functions/src/db/appointments.repo.ts). Used by the HTTP handler and
 * the scheduled jobs; every function takes `now`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { addDays, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@jiayi/shared/domain/errors';
import { BOOKING_DEFAULTS, policyFor, type BookingPolicy } from '@jiayi/shared/domain/policy';
import { generateSlots, slotDateOf, SESSION_KINDS, type RotaRules } from '@jiayi/shared/domain/appointments/rota';
import { freePlaces, planSlotChanges, type WithdrawReason } from '@jiayi/shared/domain/appointments/reconcile';
import {
  attendanceCheck,
  cancelCheck,
  DEFAULT_REMINDER_TIME,
  durationText,
  futureAppointments,
  reminderAt,
  reminderDue,
  slotText,
  suspensionMessage,
  suspensionOn,
  type AttendanceOutcome,
} from '@jiayi/shared/domain/appointments/rules';
import { bookableServices, serviceFor } from '@jiayi/shared/domain/appointments/services';
import {
  APPOINTMENT_STATUSES,
  type AppointmentView,
  type BookBody,
  type Eligibility,
  type RotaBody,
  type RotaChanges,
  type RotaView,
  type SlotView,
  type StaffAppointmentView,
} from '@jiayi/shared/schemas/appointments';
import { activeAgreementForMember, listAgreementsForAccount, type AgreementRecord } from '../db/agreements.repo';
import {
  attendanceTx,
  bookTx,
  BOOK_TX,
  cancelTx,
  clearReminder,
  createSlot,
  findAppointment,
  getAppointment,
  getCounter,
  getRota,
  getSlot,
  idempotentAppointment,
  listAppointments,
  listDueReminders,
  listRotaTeams,
  listSlots,
  listTeamDay,
  putRota,
  REMINDER_SHARDS,
  reminderTx,
  REMIND_TX,
  updateSlot,
  withdrawSlot,
  type AppointmentRecord,
  type RotaRecord,
  type SlotRecord,
} from '../db/appointments.repo';
import { newMessageId, type MessageRecord } from '../db/messages.repo';
import { getTeam, type TeamRecord } from '../db/teams.repo';
import { TransactionFailed } from '../db/transact';
import { log } from '../lib/log';

export const MINE_PAGE = '/appointments/pages/mine/index';
const MAX_COUNTER_RETRIES = 6;

/** Day-before reminder time (Asia/Shanghai HH:MM), APPOINTMENT_REMINDER_TIME, default 18:00. */
export function reminderTime(env: NodeJS.ProcessEnv = process.env): string {
  const t = env.APPOINTMENT_REMINDER_TIME?.trim();
  return t && /^([01]\d|2[0-3]):[0-5]\d$/.test(t) ? t : DEFAULT_REMINDER_TIME;
}

export function bookingPolicy(regionId: string, today: LocalDate): BookingPolicy {
  try {
    return policyFor(regionId, today).booking;
  } catch {
    return BOOKING_DEFAULTS;
  }
}

async function loadTeam(teamId: string): Promise<TeamRecord> {
  const team = await getTeam(teamId);
  if (!team) throw new NotFoundError('未找到该家庭医生团队', 'TEAM_NOT_FOUND');
  return team;
}

// ---------------------------------------------------------------- views

export function slotView(s: SlotRecord): SlotView {
  return {
    slotId: s.slotId,
    date: s.date,
    start: s.start,
    end: s.end,
    startAt: s.startAt,
    kind: s.kind,
    kindLabel: SESSION_KINDS[s.kind],
    doctor: s.doctor ?? null,
    places: s.places,
    free: freePlaces(s),
  };
}

function baseView(a: AppointmentRecord) {
  return {
    id: a.id,
    teamId: a.teamId,
    teamName: a.teamName,
    slotId: a.slotId,
    date: a.date,
    start: a.start,
    end: a.end,
    startAt: a.startAt,
    kind: a.kind,
    kindLabel: SESSION_KINDS[a.kind],
    doctor: a.doctor ?? null,
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

export function appointmentView(a: AppointmentRecord, now: Date): AppointmentView {
  const policy = bookingPolicy(a.regionId, localDateOf(now));
  const cancelUntil = new Date(Date.parse(a.startAt) - policy.cancelDeadlineMinutes * 60_000).toISOString();
  return { ...baseView(a), canCancel: a.status === 'booked' && cancelCheck({ startAt: a.startAt, now, policy }).ok, cancelUntil };
}

// ---------------------------------------------------------------- resident

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
    reminderTemplateId: process.env.APPOINTMENT_REMINDER_TEMPLATE_ID?.trim() || null,
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
  const team = await loadTeam(q.teamId);
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
  if (knownHash !== hash) throw new ConflictError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一次预约，请刷新后重试');
  const a = await getAppointment(accountId, appointmentId);
  if (!a) throw new ConflictError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一次预约，请刷新后重试');
  return { appointment: a, created: false };
}

export async function book(accountId: string, body: BookBody, now: Date): Promise<{ appointment: AppointmentRecord; created: boolean }> {
  const hash = hashBooking(body);
  const known = await idempotentAppointment(accountId, body.idempotencyKey);
  if (known) return replay(accountId, known.appointmentId, known.requestHash, hash);

  const today = localDateOf(now);
  const date = slotDateOf(body.slotId);
  const agreement = await activeAgreementForMember(accountId, body.memberId, today);
  // An id from another household is simply not one of this account's signed members.
  if (!agreement) throw new ForbiddenError('该成员没有生效中的签约协议，不能预约签约门诊', 'NOT_SIGNED');
  if (agreement.teamId !== body.teamId) throw new ForbiddenError('该成员签约的不是这个团队，只能预约本人签约团队的签约门诊', 'NOT_SIGNED_WITH_TEAM');
  if (agreement.cycleEnd < date) throw new ConflictError('AGREEMENT_ENDS', `该成员的签约协议于${agreement.cycleEnd}到期，不能预约之后的号源，请先续约`);
  const member = agreement.members.find((m) => m.memberId === body.memberId)!;
  const service = serviceFor(member.packages, body.itemCode);
  if (service.issue) throw new ValidationError(service.issue);

  const slot = await getSlot(body.teamId, body.slotId);
  if (!slot || slot.status !== 'open') throw new ConflictError('SLOT_UNAVAILABLE', '该时段已停诊或不存在，请选择其他时段');
  if (slot.startAt <= now.toISOString()) throw new ConflictError('SLOT_PAST', '该时段已过，请选择其他时段');
  if (freePlaces(slot) === 0) throw new ConflictError('SLOT_FULL', '该时段已约满，请选择其他时段');
  const policy = bookingPolicy(agreement.regionId, today);

  const id = randomUUID();
  const record: AppointmentRecord = {
    id,
    accountId,
    memberId: member.memberId,
    memberName: member.name,
    teamId: agreement.teamId,
    teamName: agreement.teamName,
    institutionId: agreement.institutionId,
    regionId: agreement.regionId,
    agreementId: agreement.id,
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
    bookedAt: now.toISOString(),
    remindAt: reminderAt(slot.date, reminderTime()),
    idempotencyKey: body.idempotencyKey,
    shard: parseInt(id.slice(0, 2), 16) % REMINDER_SHARDS,
    version: 1,
  };

  for (let attempt = 0; ; attempt++) {
    const counter = await getCounter(accountId, member.memberId);
    const suspended = suspensionOn(counter.noShows, policy, today);
    if (suspended) throw new ConflictError('BOOKING_SUSPENDED', suspensionMessage(member.name, suspended, policy));
    const upcoming = futureAppointments(counter.upcoming, now);
    if (Object.keys(upcoming).length >= policy.maxFutureAppointments) {
      throw new ConflictError('TOO_MANY_APPOINTMENTS', `${member.name}已有${policy.maxFutureAppointments}个未就诊的预约，每位成员最多同时保留${policy.maxFutureAppointments}个；请就诊或取消后再预约`);
    }
    try {
      await bookTx({ appointment: record, counter, upcoming: { ...upcoming, [id]: record.startAt }, requestHash: hash, now });
      return { appointment: record, created: true };
    } catch (e) {
      if (!(e instanceof TransactionFailed)) throw e;
      if (e.failedAt(BOOK_TX.idempotency)) {
        const k = await idempotentAppointment(accountId, body.idempotencyKey);
        if (k) return replay(accountId, k.appointmentId, k.requestHash, hash);
      }
      if (e.failedAt(BOOK_TX.lock)) throw new ConflictError('TIME_CONFLICT', `${member.name}在${slotText(slot.date, slot.start)}已有预约，同一时间只能预约一个号源`);
      if (e.failedAt(BOOK_TX.slot)) {
        const old = e.failedAt(BOOK_TX.slot)!.Item;
        if (!old || old.status?.S !== 'open') throw new ConflictError('SLOT_UNAVAILABLE', '该时段已停诊或不存在，请选择其他时段');
        if ((old.startAt?.S ?? '') <= now.toISOString()) throw new ConflictError('SLOT_PAST', '该时段已过，请选择其他时段');
        throw new ConflictError('SLOT_FULL', '该时段已约满，请选择其他时段');
      }
      // Only the counter moved (another booking, cancellation or mark of this member): decide again.
      if (e.failedAt(BOOK_TX.counter) && attempt < MAX_COUNTER_RETRIES) continue;
      if (e.reasons.some((r) => r.Code === 'TransactionConflict') && attempt < MAX_COUNTER_RETRIES) continue;
      throw new ConflictError('BOOKING_BUSY', '预约人数较多，请稍后再试');
    }
  }
}

export async function myAppointments(accountId: string, now: Date): Promise<AppointmentView[]> {
  return (await listAppointments(accountId)).map((a) => appointmentView(a, now));
}

export async function cancelByResident(accountId: string, id: string, now: Date): Promise<AppointmentRecord> {
  const a = await getAppointment(accountId, id);
  if (!a) throw new NotFoundError('未找到该预约', 'APPOINTMENT_NOT_FOUND');
  if (a.status === 'cancelled' || a.status === 'cancelled_by_clinic') return a; // a repeated DELETE is a no-op
  if (a.status !== 'booked') throw new ConflictError('APPOINTMENT_ENDED', `该预约${APPOINTMENT_STATUSES[a.status]}，不能取消`);
  const check = cancelCheck({ startAt: a.startAt, now, policy: bookingPolicy(a.regionId, localDateOf(now)) });
  if (!check.ok) throw new ConflictError(check.code === 'TOO_LATE' ? 'CANCEL_TOO_LATE' : 'APPOINTMENT_STARTED', check.message);
  try {
    await cancelTx({ appointment: a, status: 'cancelled', reason: '居民取消', by: accountId, now });
  } catch (e) {
    if (e instanceof TransactionFailed && e.failedAt(0)) {
      const fresh = await getAppointment(accountId, id);
      if (fresh && fresh.status !== 'booked') return fresh;
    }
    throw e;
  }
  return (await getAppointment(accountId, id))!;
}

// ---------------------------------------------------------------- staff: rota

export function rotaView(r: RotaRecord): RotaView {
  return { teamId: r.teamId, sessions: r.sessions, closedDates: r.closedDates, horizonDays: r.horizonDays, version: r.version, publishedAt: r.publishedAt, publishedBy: r.publishedBy };
}

export async function publishRota(input: { team: TeamRecord; body: RotaBody; by: string; now: Date }): Promise<{ rota: RotaRecord; changes: RotaChanges }> {
  const current = await getRota(input.team.id);
  if (current && input.body.expectedVersion === undefined) throw new ConflictError('ROTA_EXISTS', '该团队已有排班，请在当前排班的基础上修改后发布');
  if (current && input.body.expectedVersion !== current.version) throw new ConflictError('ROTA_CHANGED', '排班已被他人修改，请刷新后重新编辑');
  if (!current && input.body.expectedVersion !== undefined && input.body.expectedVersion !== 0) throw new ConflictError('ROTA_CHANGED', '排班已被他人修改，请刷新后重新编辑');
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
  if (!(await putRota(rota, current?.version))) throw new ConflictError('ROTA_CHANGED', '排班已被他人修改，请刷新后重新编辑');
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
    const message: MessageRecord = {
      id: newMessageId(),
      accountId: a.accountId,
      kind: 'notice',
      title: '预约已取消（门诊调整）',
      body: `因${why}，${a.memberName}在${a.teamName}${slotText(a.date, a.start)}的签约门诊预约已取消，名额已退回。给您带来不便，敬请谅解，请重新选择其他时段预约。`,
      at: now.toISOString(),
      memberId: a.memberId,
      ref: { type: 'appointment', id: a.id },
      link: MINE_PAGE,
    };
    try {
      await cancelTx({ appointment: a, status: 'cancelled_by_clinic', reason: why, by: 'system', now, message });
      n++;
    } catch (e) {
      if (!(e instanceof TransactionFailed && e.failedAt(0))) throw e; // cancelled meanwhile
    }
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

export async function teamDay(teamId: string, date: LocalDate): Promise<{ appointments: StaffAppointmentView[]; slots: SlotView[]; accounts: { accountId: string; memberId: string }[] }> {
  const [list, slots] = await Promise.all([listTeamDay(teamId, date), listSlots(teamId, date, date)]);
  const sorted = list.sort((a, b) => a.start.localeCompare(b.start) || a.memberName.localeCompare(b.memberName, 'zh-CN'));
  return {
    appointments: sorted.map((a) => baseView(a)),
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
  try {
    await attendanceTx({ appointment: a, outcome, by, now });
  } catch (e) {
    if (e instanceof TransactionFailed && e.failedAt(0)) throw new ConflictError('APPOINTMENT_ENDED', '该预约状态已变化，请刷新后重试');
    throw e;
  }
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

export function reminderMessage(a: AppointmentRecord, now: Date): MessageRecord {
  return {
    id: newMessageId(),
    accountId: a.accountId,
    kind: 'reminder',
    title: '明日就诊提醒',
    body: `${a.memberName}已预约${a.teamName}签约门诊：${slotText(a.date, a.start)}-${a.end}（${SESSION_KINDS[a.kind]}${a.doctor ? `，${a.doctor}` : ''}）。请携带身份证或社保卡按时就诊；如不能前往，请至少提前${durationText(bookingPolicy(a.regionId, localDateOf(now)).cancelDeadlineMinutes)}在“我的预约”中取消。`,
    at: now.toISOString(),
    memberId: a.memberId,
    ref: { type: 'appointment', id: a.id },
    link: MINE_PAGE,
  };
}

/** The hourly job: every due reminder once (marker in the same transaction as the in-app message). */
export async function runReminders(now: Date, channel: ReminderChannel = inboxOnly): Promise<{ sent: number; skipped: number; external: Record<string, number> }> {
  const out = { sent: 0, skipped: 0, external: {} as Record<string, number> };
  const time = reminderTime();
  for (let shard = 0; shard < REMINDER_SHARDS; shard++) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await listDueReminders(shard, now, cursor);
      cursor = page.cursor;
      for (const hit of page.items) {
        const a = await getAppointment(hit.accountId, hit.id);
        if (!a || a.status !== 'booked' || a.remindedAt || !reminderDue({ date: a.date, startAt: a.startAt, bookedAt: a.bookedAt, now, reminderTime: time })) {
          // Booked after the reminder time, started, or ended: nothing to send; off the index.
          await clearReminder(hit.accountId, hit.id);
          out.skipped++;
          continue;
        }
        const message = reminderMessage(a, now);
        try {
          await reminderTx({ appointment: a, message, now });
        } catch (e) {
          if (e instanceof TransactionFailed && (e.failedAt(REMIND_TX.marker) || e.failedAt(REMIND_TX.appointment))) {
            await clearReminder(a.accountId, a.id);
            out.skipped++;
            continue;
          }
          throw e;
        }
        out.sent++;
        const r = await channel.send(a, message);
        out.external[r] = (out.external[r] ?? 0) + 1;
      }
    } while (cursor);
  }
  return out;
}
