/**
 * The writes an agreement plan is made of, and the named items that carry them with the meaning
 * of their failed conditions. functions/src/db/agreements.tx.ts translates each write into one
 * TransactWriteItems entry (docs/table-design.md "Agreements" has the conditions):
 *
 * - `agreement`   the whole record; new (`expect` absent) or at the status + version it was read at
 * - `audit`       an append-only history entry beside the agreement
 * - `idempotency` one agreement per (account, key); new only
 * - `takePlaces`  the team counter, never past the capacity read just before (capacity unchanged)
 * - `releasePlaces` the team counter back by `n`
 * - `claimLock` / `releaseLock` / `moveLock`  one current agreement per person (the sign lock)
 * - `payment` / `refund`  new, or at the status read
 * - `receivable`  the fund shares of an agreement that took effect
 * - `reportCounter` the SIGN counters of the month (docs/reports.md)
 * - `pushActivation` the health-push activation marker of an agreement that became active (issue 11,
 *   docs/push-at-scale.md "Catch-up"): in the activation's own transaction, so it exists iff it did
 */
import { localDateOf } from '../dates';
import { signingDelta, type Counters } from '../fulfilment/report';
import { policyVersion, type RegionPolicy } from '../policy';
import type { Plan, PlanItem } from '../plan';
import { replayOf, retry } from '../plan';
import { PersonLocked, teamFullError } from './refusals';
import { receivableOf, type AgreementRecord, type HistoryEntry, type PaymentRecord, type ReceivableRecord, type RefundRecord } from './record';

export type AgreementWrite =
  | { op: 'agreement'; agreement: AgreementRecord; expect?: { status: string; version: number } }
  | { op: 'audit'; agreementId: string; entry: HistoryEntry }
  | { op: 'idempotency'; accountId: string; key: string; agreementId: string; requestHash: string; createdAt: string }
  | { op: 'takePlaces'; teamId: string; n: number; capacity: number }
  | { op: 'releasePlaces'; teamId: string; n: number }
  | { op: 'claimLock'; idHash: string; agreementId: string; accountId: string; memberId: string; teamId: string; at: string }
  | { op: 'releaseLock'; idHash: string; agreementId: string }
  | { op: 'moveLock'; idHash: string; from: string; to: string; teamId: string; at: string }
  | { op: 'payment'; payment: PaymentRecord; expect?: string }
  | { op: 'refund'; refund: RefundRecord; expect?: string }
  | { op: 'receivable'; receivable: ReceivableRecord }
  | { op: 'reportCounter'; institutionId: string; teamId: string; month: string; delta: Counters }
  | { op: 'pushActivation'; agreementId: string; regionId: string; shard: number; at: string };

export type AgreementItem = PlanItem<AgreementWrite>;
export type AgreementPlan = Plan<AgreementWrite>;

// ---------------------------------------------------------------- agreement and audit

/** A new agreement (its id is a fresh uuid: the condition cannot fail for a domain reason). */
export function created(name: string, a: AgreementRecord): AgreementItem {
  return { name, write: { op: 'agreement', agreement: a } };
}

/**
 * `after` replaces `before`, conditioned on the status and version read. Failure means another
 * transition committed first: read again (`onFail` overrides, e.g. a renewal refuses instead).
 */
export function moved(name: string, before: AgreementRecord, after: AgreementRecord, onFail: AgreementItem['onFail'] = retry): AgreementItem {
  return { name, write: { op: 'agreement', agreement: after, expect: { status: before.status, version: before.version } }, onFail };
}

export function audit(name: string, agreementId: string, entry: HistoryEntry): AgreementItem {
  return { name, write: { op: 'audit', agreementId, entry } };
}

/** One agreement per (account, idempotency key): an existing key replays the agreement it points at. */
export function idempotency(i: { accountId: string; key: string; requestHash: string }, a: AgreementRecord): AgreementItem {
  return {
    name: 'idempotency',
    write: { op: 'idempotency', accountId: i.accountId, key: i.key, agreementId: a.id, requestHash: i.requestHash, createdAt: a.createdAt },
    onFail: (stored) => replayOf(stored, 'agreementId'),
  };
}

// ---------------------------------------------------------------- places (team counter + sign locks)

/**
 * Take the places of `a`'s members in its team: full when the counter would pass the capacity
 * read; a capacity changed since the read is stale (read again).
 */
export function takePlaces(a: AgreementRecord, capacity: number): AgreementItem {
  return {
    name: 'teamCounter',
    write: { op: 'takePlaces', teamId: a.teamId, n: a.members.length, capacity },
    onFail: (stored) => (stored?.capacity !== undefined && Number(stored.capacity) !== capacity ? retry() : { kind: 'refuse', error: teamFullError() }),
  };
}

export function releasePlaces(a: AgreementRecord, name = 'teamCounter'): AgreementItem {
  return { name, write: { op: 'releasePlaces', teamId: a.teamId, n: a.members.length }, onFail: retry };
}

/** One lock per member: a member who holds another current agreement is refused by name (with the holder, for lazy expiry). */
export function claimLocks(a: AgreementRecord): AgreementItem[] {
  return a.members.map((m, i) => ({
    name: `personLock:${i}`,
    write: { op: 'claimLock', idHash: m.idHash, agreementId: a.id, accountId: a.accountId, memberId: m.memberId, teamId: a.teamId, at: a.updatedAt },
    onFail: (stored) => ({ kind: 'refuse', error: new PersonLocked(i, m.name, typeof stored?.agreementId === 'string' ? stored.agreementId : undefined) }),
  }));
}

export function releaseLocks(a: AgreementRecord): AgreementItem[] {
  return a.members.map((m, i) => ({ name: `personLock:${i}`, write: { op: 'releaseLock', idHash: m.idHash, agreementId: a.id }, onFail: retry }));
}

/** The locks of `from`'s members now hold `to` (hand-over, change of team). */
export function moveLocks(from: AgreementRecord, to: AgreementRecord): AgreementItem[] {
  return to.members.map((m, i) => ({ name: `personLock:${i}`, write: { op: 'moveLock', idHash: m.idHash, from: from.id, to: to.id, teamId: to.teamId, at: to.updatedAt }, onFail: retry }));
}

// ---------------------------------------------------------------- money

export function paymentItem(payment: PaymentRecord, expect?: string): AgreementItem {
  return { name: 'payment', write: { op: 'payment', payment, ...(expect !== undefined && { expect }) }, onFail: retry };
}

export function refundItem(refund: RefundRecord, expect?: string): AgreementItem {
  return { name: 'refund', write: { op: 'refund', refund, ...(expect !== undefined && { expect }) }, onFail: retry };
}

export function receivable(a: AgreementRecord, activatedAt: string): AgreementItem {
  return { name: 'receivable', write: { op: 'receivable', receivable: receivableOf(a, activatedAt) } };
}

// ---------------------------------------------------------------- report counters (docs/reports.md)

function policyOrNone(a: AgreementRecord): RegionPolicy | undefined {
  try {
    return policyVersion(a.regionId, a.policyVersion);
  } catch {
    return undefined;
  }
}

/**
 * What a transition that moves agreements into or out of `active` writes beside them: the month's
 * SIGN counters and the health-push activation marker of each agreement that becomes active.
 * Every decision that changes an agreement's status takes its side effects from here, so no path
 * into `active` (payment, free signing, hand-over, a scheduled successor, fallback) misses one.
 */
export function statusEffects(changes: { before?: AgreementRecord; after: AgreementRecord }[], at: string): AgreementItem[] {
  return [...signingCounters(changes, at), ...pushActivations(changes, at)];
}

/**
 * The activation markers (`pushActivation:<agreementId>`) of the agreements `changes` move into
 * `active` from no agreement or from another status; the catch-up sweep finds them by `at`.
 */
export function pushActivations(changes: { before?: AgreementRecord; after: AgreementRecord }[], at: string): AgreementItem[] {
  return changes
    .filter((c) => c.after.status === 'active' && c.before?.status !== 'active')
    .map(({ after: a }) => ({ name: `pushActivation:${a.id}`, write: { op: 'pushActivation', agreementId: a.id, regionId: a.regionId, shard: a.shard, at } }));
}

/**
 * The SIGN counters of the agreements a transition moves into or out of `active`, merged per
 * (institution, team) so one transaction never targets a counter item twice (a hand-over ends
 * and starts an agreement of the same team in the same month). Month = Asia/Shanghai month of `at`.
 */
export function signingCounters(changes: { before?: AgreementRecord; after: AgreementRecord }[], at: string): AgreementItem[] {
  const month = localDateOf(at).slice(0, 7);
  const merged = new Map<string, { institutionId: string; teamId: string; delta: Counters }>();
  for (const c of changes) {
    const delta = signingDelta(c.before, c.after, policyOrNone(c.after));
    const key = `${c.after.institutionId}\u0000${c.after.teamId}`;
    const m = merged.get(key) ?? { institutionId: c.after.institutionId, teamId: c.after.teamId, delta: {} };
    for (const [k, v] of Object.entries(delta)) m.delta[k] = (m.delta[k] ?? 0) + v;
    merged.set(key, m);
  }
  return [...merged.values()]
    .filter((m) => Object.values(m.delta).some((v) => v !== 0))
    .map((m) => ({ name: `reportCounter:${m.teamId}`, write: { op: 'reportCounter', institutionId: m.institutionId, teamId: m.teamId, month, delta: m.delta } }));
}
