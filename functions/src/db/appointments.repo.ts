/**
 * Appointments at the signing clinic (issue 6): rotas, slots, appointments, per-member booking
 * counters, time locks, idempotency and reminder markers. docs/table-design.md "Appointments".
 *
 * Invariants that span items are enforced by ONE TransactWriteItems per transition:
 * - booking: slot `booked < places AND status = open AND startAt > now` (places never below
 *   zero), time lock `attribute_not_exists` (one appointment per member per start instant),
 *   counter `v = :read` (the member's future appointments and no-shows, decided on the version
 *   read; a concurrent change fails the condition and the booking is re-decided), idempotency
 *   item, appointment item;
 * - cancellation / clinic withdrawal: appointment `status = booked` → the place, the lock and the
 *   counter entry are returned in the same transaction;
 * - attendance: appointment `status = booked` + counter (a no-show date is appended);
 * - reminder: marker `attribute_not_exists` + in-app message + appointment (still booked).
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import type { RotaSession, SessionKind, SlotSpec } from '@jiayi/shared/domain/appointments/rota';
import type { StoredSlot } from '@jiayi/shared/domain/appointments/reconcile';
import type { AppointmentStatus } from '@jiayi/shared/schemas/appointments';
import { db, tableName } from './client';
import { queryAll } from './query';
import { keys } from './keys';
import { messagePut, type MessageRecord } from './messages.repo';
import { transact, type TxItem } from './transact';

export const REMINDER_SHARDS = 4;
const DAY_S = 86_400;

export interface RotaRecord {
  teamId: string;
  institutionId: string;
  regionId: string;
  sessions: RotaSession[];
  closedDates: LocalDate[];
  horizonDays: number;
  version: number;
  publishedAt: string;
  publishedBy: string;
}

export interface SlotRecord extends StoredSlot {
  teamId: string;
  endAt: string;
  rotaVersion: number;
}

export interface AppointmentRecord {
  id: string;
  accountId: string;
  memberId: string;
  memberName: string;
  teamId: string;
  teamName: string;
  institutionId: string;
  regionId: string;
  agreementId: string;
  slotId: string;
  date: LocalDate;
  start: string;
  end: string;
  startAt: string;
  kind: SessionKind;
  doctor?: string;
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

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _a, sk: _b, type: _t, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, gsi3pk: _g, gsi3sk: _h, expiresAt: _x, ...rest } = item;
  return rest as T;
}

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

// ---------------------------------------------------------------- rota

export async function getRota(teamId: string): Promise<RotaRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.rota(teamId), ConsistentRead: true }));
  return r.Item ? strip<RotaRecord>(r.Item) : undefined;
}

/** Publishes a rota version; `expectedVersion` must match the stored one (undefined = first publish). False when it did not. */
export async function putRota(rota: RotaRecord, expectedVersion: number | undefined): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.rota(rota.teamId), ...keys.rotaIndex(rota.teamId), type: 'rota', ...rota },
        ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

/** Team ids of every published rota. */
export async function listRotaTeams(): Promise<string[]> {
  const out: string[] = (
    await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.rotaIndex('').gsi1pk },
      ProjectionExpression: 'teamId',
    })
  ).map((i) => String(i.teamId));
  return out;
}

// ---------------------------------------------------------------- slots

/** A team's slots from `from` to `to` (dates inclusive), by start. */
export async function listSlots(teamId: string, from: LocalDate, to: LocalDate, consistent = false): Promise<SlotRecord[]> {
  const out: SlotRecord[] = (
    await queryAll({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :z',
      ExpressionAttributeValues: { ':p': keys.slot(teamId, '').pk, ':a': keys.slot(teamId, from).sk, ':z': keys.slot(teamId, `${to}~`).sk },
      ConsistentRead: consistent,
    })
  ).map((i) => strip<SlotRecord>(i));
  return out.sort((a, b) => a.startAt.localeCompare(b.startAt) || a.slotId.localeCompare(b.slotId));
}

export async function getSlot(teamId: string, slotId: string): Promise<SlotRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.slot(teamId, slotId), ConsistentRead: true }));
  return r.Item ? strip<SlotRecord>(r.Item) : undefined;
}

/** Creates a slot unless it exists (a concurrent publish and the daily job may both try). */
export async function createSlot(teamId: string, s: SlotSpec, rotaVersion: number): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.slot(teamId, s.slotId),
          type: 'slot',
          teamId,
          ...s,
          booked: 0,
          status: 'open',
          rotaVersion,
          // Kept for half a year after the visit (history of the day list), then TTL.
          expiresAt: epoch(s.endAt) + 180 * DAY_S,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

/** New places / end / kind for an existing slot, and reopens a withdrawn one. The booked counter is never touched here. */
export async function updateSlot(teamId: string, s: SlotSpec, rotaVersion: number): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.slot(teamId, s.slotId),
      UpdateExpression: 'SET places = :p, #end = :e, endAt = :ea, kind = :k, #status = :open, rotaVersion = :rv REMOVE withdrawReason',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#end': 'end', '#status': 'status' },
      ExpressionAttributeValues: { ':p': s.places, ':e': s.end, ':ea': s.endAt, ':k': s.kind, ':open': 'open', ':rv': rotaVersion },
    }),
  );
}

/** Closes a slot to new bookings (its bookings are then cancelled one by one with a notice). */
export async function withdrawSlot(teamId: string, slotId: string, reason: string, rotaVersion: number): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.slot(teamId, slotId),
      UpdateExpression: 'SET #status = :w, withdrawReason = :r, rotaVersion = :rv',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':w': 'withdrawn', ':r': reason, ':rv': rotaVersion },
    }),
  );
}

// ---------------------------------------------------------------- counters, appointments

export async function getCounter(accountId: string, memberId: string): Promise<CounterRecord> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.bookingCounter(accountId, memberId), ConsistentRead: true }));
  return { upcoming: (r.Item?.upcoming as Record<string, string>) ?? {}, noShows: (r.Item?.noShows as string[]) ?? [], v: (r.Item?.v as number) ?? 0 };
}

export async function getAppointment(accountId: string, id: string): Promise<AppointmentRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.appointment(accountId, id), ConsistentRead: true }));
  return r.Item ? strip<AppointmentRecord>(r.Item) : undefined;
}

/** An appointment by id alone (staff routes): the gsi1 entry names the account, then a consistent read. */
export async function findAppointment(id: string): Promise<AppointmentRecord | undefined> {
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.appointmentById(id).gsi1pk },
      ProjectionExpression: 'accountId',
    }),
  );
  const accountId = r.Items?.[0]?.accountId;
  return typeof accountId === 'string' ? getAppointment(accountId, id) : undefined;
}

/** Every appointment of a household, newest start first. */
export async function listAppointments(accountId: string): Promise<AppointmentRecord[]> {
  const out: AppointmentRecord[] = (
    await queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.appointment(accountId, '').pk, ':s': 'APPT#' },
      ConsistentRead: true,
    })
  ).map((i) => strip<AppointmentRecord>(i));
  return out.sort((a, b) => b.startAt.localeCompare(a.startAt));
}

/** A team's appointments of one day (all statuses), by start time. */
export async function listTeamDay(teamId: string, date: LocalDate): Promise<AppointmentRecord[]> {
  const out: AppointmentRecord[] = (
    await queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.appointmentByTeamDay(teamId, date, '', '').gsi2pk },
    })
  ).map((i) => strip<AppointmentRecord>(i));
  return out;
}

/** One page of appointments whose reminder is due by `now` in one shard (sparse gsi3), oldest first. */
export async function listDueReminders(shard: number, now: Date, cursor?: Record<string, unknown>, limit = 100): Promise<{ items: AppointmentRecord[]; cursor?: Record<string, unknown> }> {
  const r = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk <= :t',
      ExpressionAttributeValues: { ':p': keys.appointmentReminder(shard, '', '').gsi3pk, ':t': `${now.toISOString()}#~` },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: (r.Items ?? []).map((i) => strip<AppointmentRecord>(i)), cursor: r.LastEvaluatedKey };
}

export async function idempotentAppointment(accountId: string, key: string): Promise<{ appointmentId: string; requestHash: string } | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.bookingIdempotency(accountId, key), ConsistentRead: true }));
  return r.Item ? { appointmentId: String(r.Item.appointmentId), requestHash: String(r.Item.requestHash) } : undefined;
}

// ---------------------------------------------------------------- transactions

export const BOOK_TX = { slot: 0, lock: 1, counter: 2, idempotency: 3, appointment: 4 } as const;

function appointmentItem(a: AppointmentRecord): Record<string, unknown> {
  return {
    ...keys.appointment(a.accountId, a.id),
    ...keys.appointmentById(a.id),
    ...keys.appointmentByTeamDay(a.teamId, a.date, a.start, a.id),
    ...(a.status === 'booked' && !a.remindedAt ? keys.appointmentReminder(a.shard, a.remindAt, a.id) : {}),
    type: 'appointment',
    ...a,
  };
}

/** The booking transaction (item order = BOOK_TX). Throws TransactionFailed. */
export async function bookTx(input: { appointment: AppointmentRecord; counter: CounterRecord; upcoming: Record<string, string>; requestHash: string; now: Date }): Promise<void> {
  const a = input.appointment;
  const T = tableName();
  const items: TxItem[] = [
    {
      Update: {
        TableName: T,
        Key: keys.slot(a.teamId, a.slotId),
        UpdateExpression: 'ADD booked :one',
        ConditionExpression: 'attribute_exists(pk) AND #status = :open AND booked < places AND startAt > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':open': 'open', ':now': input.now.toISOString() },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    {
      Put: {
        TableName: T,
        Item: { ...keys.appointmentTimeLock(a.accountId, a.memberId, a.startAt), type: 'appointment-lock', appointmentId: a.id, expiresAt: epoch(a.startAt) + DAY_S },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: T,
        Key: keys.bookingCounter(a.accountId, a.memberId),
        UpdateExpression: 'SET upcoming = :u, v = :next, noShows = if_not_exists(noShows, :empty), #type = :type, memberId = :m',
        ConditionExpression: input.counter.v === 0 ? 'attribute_not_exists(v)' : 'v = :v',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':u': input.upcoming,
          ':next': input.counter.v + 1,
          ':empty': [],
          ':type': 'booking-counter',
          ':m': a.memberId,
          ...(input.counter.v === 0 ? {} : { ':v': input.counter.v }),
        },
      },
    },
    {
      Put: {
        TableName: T,
        Item: { ...keys.bookingIdempotency(a.accountId, a.idempotencyKey), type: 'appointment-idempotency', appointmentId: a.id, requestHash: input.requestHash, expiresAt: epoch(input.now.toISOString()) + 30 * DAY_S },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: T, Item: appointmentItem(a), ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
  await transact(items);
}

/**
 * Ends a booked appointment before it happens (resident cancellation or clinic withdrawal): the
 * place, the time lock and the counter entry come back in the same transaction. Optional
 * message (the clinic's notice). Throws TransactionFailed when it is no longer booked (index 0).
 */
export async function cancelTx(input: { appointment: AppointmentRecord; status: 'cancelled' | 'cancelled_by_clinic'; reason: string; by: string; now: Date; message?: MessageRecord }): Promise<void> {
  const a = input.appointment;
  const T = tableName();
  const items: TxItem[] = [
    {
      Update: {
        TableName: T,
        Key: keys.appointment(a.accountId, a.id),
        UpdateExpression: 'SET #status = :s, endedAt = :now, endedBy = :by, cancelReason = :r, version = version + :one REMOVE gsi3pk, gsi3sk',
        ConditionExpression: '#status = :booked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':s': input.status, ':now': input.now.toISOString(), ':by': input.by, ':r': input.reason, ':one': 1, ':booked': 'booked' },
      },
    },
    {
      Update: {
        TableName: T,
        Key: keys.slot(a.teamId, a.slotId),
        UpdateExpression: 'ADD booked :minus',
        ConditionExpression: 'attribute_exists(pk) AND booked > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      },
    },
    { Delete: { TableName: T, Key: keys.appointmentTimeLock(a.accountId, a.memberId, a.startAt) } },
    {
      Update: {
        TableName: T,
        Key: keys.bookingCounter(a.accountId, a.memberId),
        UpdateExpression: 'REMOVE upcoming.#id SET v = v + :one',
        ConditionExpression: 'attribute_exists(v)',
        ExpressionAttributeNames: { '#id': a.id },
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
  ];
  if (input.message) items.push(messagePut(input.message));
  await transact(items);
}

/** Staff mark attended / no-show (index 0 fails when it is no longer booked). A no-show date goes to the counter. */
export async function attendanceTx(input: { appointment: AppointmentRecord; outcome: 'attended' | 'no_show'; by: string; now: Date }): Promise<void> {
  const a = input.appointment;
  const T = tableName();
  await transact([
    {
      Update: {
        TableName: T,
        Key: keys.appointment(a.accountId, a.id),
        UpdateExpression: 'SET #status = :s, endedAt = :now, endedBy = :by, version = version + :one REMOVE gsi3pk, gsi3sk',
        ConditionExpression: '#status = :booked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':s': input.outcome, ':now': input.now.toISOString(), ':by': input.by, ':one': 1, ':booked': 'booked' },
      },
    },
    {
      Update: {
        TableName: T,
        Key: keys.bookingCounter(a.accountId, a.memberId),
        UpdateExpression:
          input.outcome === 'no_show'
            ? 'REMOVE upcoming.#id SET v = v + :one, noShows = list_append(if_not_exists(noShows, :empty), :d)'
            : 'REMOVE upcoming.#id SET v = v + :one',
        ConditionExpression: 'attribute_exists(v)',
        ExpressionAttributeNames: { '#id': a.id },
        ExpressionAttributeValues: { ':one': 1, ...(input.outcome === 'no_show' ? { ':empty': [], ':d': [a.date] } : {}) },
      },
    },
  ]);
}

export const REMIND_TX = { marker: 0, message: 1, appointment: 2 } as const;

/** The reminder-sent marker, the in-app message and the appointment's reminder state, at most once. */
export async function reminderTx(input: { appointment: AppointmentRecord; message: MessageRecord; now: Date }): Promise<void> {
  const a = input.appointment;
  const T = tableName();
  await transact([
    {
      Put: {
        TableName: T,
        Item: { ...keys.reminderSent(a.accountId, a.id), type: 'appointment-reminded', appointmentId: a.id, messageId: input.message.id, at: input.now.toISOString(), expiresAt: epoch(a.startAt) + 180 * DAY_S },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    messagePut(input.message),
    {
      Update: {
        TableName: T,
        Key: keys.appointment(a.accountId, a.id),
        UpdateExpression: 'SET remindedAt = :now REMOVE gsi3pk, gsi3sk',
        ConditionExpression: '#status = :booked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': input.now.toISOString(), ':booked': 'booked' },
      },
    },
  ]);
}

/** Takes an appointment off the reminder index (already reminded, or no longer booked). */
export async function clearReminder(accountId: string, id: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.appointment(accountId, id),
      UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}
