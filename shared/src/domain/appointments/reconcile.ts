/**
 * What publishing a rota (or the daily roll of the horizon) does to the stored slots. Pure.
 *
 * A changed rota never deletes a booked slot silently (issue 6): a slot that is no longer in the
 * rota is withdrawn (no new bookings), and each appointment still held on it is cancelled by the
 * clinic with an in-app notice to the household; its places are returned to the counters.
 * Lowering the places of a slot never bumps anybody: the slot simply has no free place until
 * enough bookings are cancelled. Slots that have started are history and left alone.
 */
import type { LocalDate } from '../dates';
import type { SessionKind, SlotSpec } from './rota';

export interface StoredSlot {
  slotId: string;
  date: LocalDate;
  start: string;
  end: string;
  startAt: string;
  kind: SessionKind;
  doctor?: string;
  places: number;
  booked: number;
  status: 'open' | 'withdrawn';
}

export type WithdrawReason = 'closed_date' | 'rota_changed';

export interface SlotChanges {
  create: SlotSpec[];
  /** Open slots whose places, end or session kind changed (and withdrawn slots the rota brings back). */
  update: { slot: SlotSpec; previous: StoredSlot }[];
  /** Slots to withdraw; `booked > 0` ones have appointments to cancel with a notice. */
  withdraw: { slot: StoredSlot; reason: WithdrawReason }[];
  /** Already withdrawn slots that still hold bookings (an earlier run was interrupted): cancel them. */
  sweep: StoredSlot[];
}

export function planSlotChanges(input: { desired: SlotSpec[]; stored: StoredSlot[]; closedDates: LocalDate[]; now: Date }): SlotChanges {
  const nowIso = input.now.toISOString();
  const closed = new Set(input.closedDates);
  const stored = new Map(input.stored.map((s) => [s.slotId, s]));
  const desired = new Map(input.desired.filter((s) => s.startAt > nowIso).map((s) => [s.slotId, s]));
  const out: SlotChanges = { create: [], update: [], withdraw: [], sweep: [] };
  for (const d of desired.values()) {
    const s = stored.get(d.slotId);
    if (!s) out.create.push(d);
    else if (s.status === 'withdrawn' || s.places !== d.places || s.end !== d.end || s.kind !== d.kind) out.update.push({ slot: d, previous: s });
  }
  for (const s of input.stored) {
    if (s.startAt <= nowIso || desired.has(s.slotId)) continue;
    if (s.status === 'open') out.withdraw.push({ slot: s, reason: closed.has(s.date) ? 'closed_date' : 'rota_changed' });
    else if (s.booked > 0) out.sweep.push(s);
  }
  return out;
}

/** Free places a resident sees (never negative: places may have been lowered below the bookings). */
export function freePlaces(slot: { places: number; booked: number; status: string }): number {
  return slot.status === 'open' ? Math.max(0, slot.places - slot.booked) : 0;
}
