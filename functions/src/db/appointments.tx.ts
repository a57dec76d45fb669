/**
 * Appointment plans (shared/src/domain/appointments/booking.ts) as ONE TransactWriteItems each
 * (docs/table-design.md "Appointments"):
 * - booking: slot `booked < places AND status = open AND startAt > now` (places never below
 *   zero), time lock `attribute_not_exists` (one appointment per member per start instant),
 *   counter `v = :read` (the member's future appointments and no-shows, decided on the version
 *   read), idempotency item, appointment item;
 * - cancellation / clinic withdrawal: appointment `status = booked` → the place, the lock and the
 *   counter entry are returned in the same transaction;
 * - attendance: appointment `status = booked` + counter (a no-show date is appended);
 * - reminder: marker `attribute_not_exists` + in-app message + appointment (still booked).
 * Translation only: what a failed condition means is the plan's (commit() in ./transact.ts).
 */
import type { AppointmentPlan, AppointmentRecord, AppointmentWrite } from '@jiayi/shared/domain/appointments/booking';
import type { Applied } from '@jiayi/shared/domain/plan';
import { tableName } from './client';
import { keys } from './keys';
import { messagePut } from './messages.repo';
import { commit, type TxItem } from './transact';

const DAY_S = 86_400;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The stored item of an appointment: the record plus its index keys (the reminder index while a reminder is pending). */
export function appointmentItem(a: AppointmentRecord): Record<string, unknown> {
  return {
    ...keys.appointment(a.accountId, a.id),
    ...keys.appointmentById(a.id),
    ...keys.appointmentByTeamDay(a.teamId, a.date, a.start, a.id),
    ...(a.status === 'booked' && !a.remindedAt ? keys.appointmentReminder(a.shard, a.remindAt, a.id) : {}),
    type: 'appointment',
    ...a,
  };
}

const stillBooked = { ConditionExpression: '#status = :booked', ExpressionAttributeNames: { '#status': 'status' } };

type Encoders = { [K in AppointmentWrite['op']]: (w: Extract<AppointmentWrite, { op: K }>, TableName: string) => TxItem };

/** One encoder per write: the condition each write carries (docs/table-design.md "Appointments"). */
const ENCODERS: Encoders = {
  takeSlot: (w, TableName) => ({
    Update: {
      TableName,
      Key: keys.slot(w.teamId, w.slotId),
      UpdateExpression: 'ADD booked :one',
      ConditionExpression: 'attribute_exists(pk) AND #status = :open AND booked < places AND startAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':one': 1, ':open': 'open', ':now': w.now },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }),
  returnSlot: (w, TableName) => ({
    Update: { TableName, Key: keys.slot(w.teamId, w.slotId), UpdateExpression: 'ADD booked :minus', ConditionExpression: 'attribute_exists(pk) AND booked > :zero', ExpressionAttributeValues: { ':minus': -1, ':zero': 0 } },
  }),
  timeLock: ({ appointment: a }, TableName) => ({
    Put: {
      TableName,
      Item: { ...keys.appointmentTimeLock(a.accountId, a.memberId, a.startAt), type: 'appointment-lock', appointmentId: a.id, expiresAt: epoch(a.startAt) + DAY_S },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }),
  releaseTimeLock: ({ appointment: a }, TableName) => ({ Delete: { TableName, Key: keys.appointmentTimeLock(a.accountId, a.memberId, a.startAt) } }),
  counter: (w, TableName) => {
    const fresh = w.readV === 0;
    return {
      Update: {
        TableName,
        Key: keys.bookingCounter(w.accountId, w.memberId),
        UpdateExpression: 'SET upcoming = :u, v = :next, noShows = if_not_exists(noShows, :empty), #type = :type, memberId = :m',
        ConditionExpression: fresh ? 'attribute_not_exists(v)' : 'v = :v',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':u': w.upcoming, ':next': w.readV + 1, ':empty': [], ':type': 'booking-counter', ':m': w.memberId, ...(fresh ? {} : { ':v': w.readV }) },
      },
    };
  },
  counterRemove: ({ appointment: a, noShow }, TableName) => ({
    Update: {
      TableName,
      Key: keys.bookingCounter(a.accountId, a.memberId),
      UpdateExpression: noShow ? 'REMOVE upcoming.#id SET v = v + :one, noShows = list_append(if_not_exists(noShows, :empty), :d)' : 'REMOVE upcoming.#id SET v = v + :one',
      ConditionExpression: 'attribute_exists(v)',
      ExpressionAttributeNames: { '#id': a.id },
      ExpressionAttributeValues: { ':one': 1, ...(noShow ? { ':empty': [], ':d': [noShow] } : {}) },
    },
  }),
  idempotency: ({ appointment: a, requestHash, now }, TableName) => ({
    Put: {
      TableName,
      Item: { ...keys.bookingIdempotency(a.accountId, a.idempotencyKey), type: 'appointment-idempotency', appointmentId: a.id, requestHash, expiresAt: epoch(now) + 30 * DAY_S },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }),
  appointment: (w, TableName) => ({ Put: { TableName, Item: appointmentItem(w.appointment), ConditionExpression: 'attribute_not_exists(pk)' } }),
  end: ({ appointment: a, status, by, now, reason }, TableName) => ({
    Update: {
      TableName,
      Key: keys.appointment(a.accountId, a.id),
      UpdateExpression: `SET #status = :s, endedAt = :now, endedBy = :by${reason !== undefined ? ', cancelReason = :r' : ''}, version = version + :one REMOVE gsi3pk, gsi3sk`,
      ...stillBooked,
      ExpressionAttributeValues: { ':s': status, ':now': now, ':by': by, ...(reason !== undefined ? { ':r': reason } : {}), ':one': 1, ':booked': 'booked' },
    },
  }),
  reminderMarker: ({ appointment: a, messageId, now }, TableName) => ({
    Put: {
      TableName,
      Item: { ...keys.reminderSent(a.accountId, a.id), type: 'appointment-reminded', appointmentId: a.id, messageId, at: now, expiresAt: epoch(a.startAt) + 180 * DAY_S },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }),
  reminded: ({ appointment: a, now }, TableName) => ({
    Update: { TableName, Key: keys.appointment(a.accountId, a.id), UpdateExpression: 'SET remindedAt = :now REMOVE gsi3pk, gsi3sk', ...stillBooked, ExpressionAttributeValues: { ':now': now, ':booked': 'booked' } },
  }),
  message: (w) => messagePut(w.message),
};

export function encodeAppointmentWrite(w: AppointmentWrite): TxItem {
  return (ENCODERS[w.op] as (w: AppointmentWrite, table: string) => TxItem)(w, tableName());
}

/** Write an appointment plan as one transaction. */
export function applyAppointmentPlan(plan: AppointmentPlan): Promise<Applied> {
  return commit(plan, encodeAppointmentWrite);
}
