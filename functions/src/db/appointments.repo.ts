/**
 * Appointments at the signing clinic (issue 6): rotas, slots, appointments, per-member booking
 * counters and reminder reads. docs/table-design.md "Appointments". The transitions that span
 * items (booking, cancellation, attendance, reminder) are plans of
 * shared/src/domain/appointments/booking.ts, written by ./appointments.tx.ts.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import type { RotaSession, SlotSpec } from '@jiayi/shared/domain/appointments/rota';
import type { StoredSlot } from '@jiayi/shared/domain/appointments/reconcile';
import { db, tableName } from './client';
import { queryAll, queryFrom, queryItems } from './query';
import { keys } from './keys';
import type { AppointmentRecord, CounterRecord } from '@jiayi/shared/domain/appointments/booking';

export { REMINDER_SHARDS } from '@jiayi/shared/domain/appointments/booking';
export type { AppointmentRecord, CounterRecord } from '@jiayi/shared/domain/appointments/booking';
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
  const page = await queryFrom({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.appointmentById(id).gsi1pk }, ProjectionExpression: 'accountId' }, undefined);
  const accountId = page.items[0]?.accountId;
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

/** Appointments whose reminder is due by `now` in one shard (sparse gsi3), oldest first, page by page. */
export async function* dueReminders(shard: number, now: Date): AsyncGenerator<AppointmentRecord> {
  const input = {
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :p AND gsi3sk <= :t',
    ExpressionAttributeValues: { ':p': keys.appointmentReminder(shard, '', '').gsi3pk, ':t': `${now.toISOString()}#~` },
    Limit: 100,
  };
  for await (const item of queryItems(input)) yield strip<AppointmentRecord>(item);
}

export async function idempotentAppointment(accountId: string, key: string): Promise<{ appointmentId: string; requestHash: string } | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.bookingIdempotency(accountId, key), ConsistentRead: true }));
  return r.Item ? { appointmentId: String(r.Item.appointmentId), requestHash: String(r.Item.requestHash) } : undefined;
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
