/**
 * Every agreement transition as ONE TransactWriteItems whose conditions carry the invariants
 * (docs/table-design.md "Agreements", docs/signing.md):
 *
 * - a person has at most one current agreement: sign lock `SIGNLOCK#<idHash>` Put with
 *   `attribute_not_exists(pk)`; released (Delete) or handed over (Update) only conditioned on
 *   `agreementId = <this agreement>`;
 * - a team never exceeds its capacity: `ADD memberCount :n` with `memberCount <= capacity - n AND
 *   capacity = <capacity read>`; every release moves the counter back in the same transaction;
 * - one agreement per idempotency key: idempotency item `attribute_not_exists(pk)`;
 * - the agreement item is written whole, conditioned on the status and version it was read at,
 *   so two transitions racing (payment vs expiry, terminate vs change of team) never both apply.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError } from '@jiayi/shared/domain/errors';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { receivableFen } from '@jiayi/shared/domain/agreements/lifecycle';
import { monthOf } from '@jiayi/shared/domain/agreements/time';
import { policyVersion, type RegionPolicy } from '@jiayi/shared/domain/policy';
import { signingDelta, type Counters } from '@jiayi/shared/domain/fulfilment/report';
import { tableName } from './client';
import { keys } from './keys';
import { TransactionFailed, type TxItem } from './transact';
import { counterAdd, transactCounted } from './reports.repo';
import { activationMarkers } from './push-activations.repo';

/**
 * TransactWriteItems, retried on TransactionConflict (the team item and the report counters are
 * shared by concurrent signings on DynamoDB); condition failures are answers and are not retried.
 */
const transact = (items: TxItem[]) => transactCounted(items, 6);

/**
 * The report counters (docs/reports.md, issue 8) of the agreements a transaction moves into or
 * out of `active`, merged per (institution, team) so one transaction never targets a counter
 * item twice (a hand-over ends and starts an agreement of the same team in the same month);
 * plus the health-push activation marker of each agreement that becomes active (issue 11).
 */
export function reportCounters(changes: { before?: AgreementRecord; after: AgreementRecord }[], at: string): TxItem[] {
  const month = localDateOf(at).slice(0, 7);
  const merged = new Map<string, { institutionId: string; teamId: string; delta: Counters }>();
  for (const c of changes) {
    let policy: RegionPolicy | undefined;
    try {
      policy = policyVersion(c.after.regionId, c.after.policyVersion);
    } catch {
      policy = undefined;
    }
    const delta = signingDelta(c.before, c.after, policy);
    const key = `${c.after.institutionId}\u0000${c.after.teamId}`;
    const m = merged.get(key) ?? { institutionId: c.after.institutionId, teamId: c.after.teamId, delta: {} };
    for (const [k, v] of Object.entries(delta)) m.delta[k] = (m.delta[k] ?? 0) + v;
    merged.set(key, m);
  }
  const counters = [...merged.values()].flatMap((m) => {
    const add = counterAdd(m.institutionId, 'SIGN', month, m.teamId, m.delta);
    return add ? [add] : [];
  });
  // Issue 11: an activation also leaves a marker for the health-push catch-up (push-activations.repo.ts).
  return [...counters, ...activationMarkers(changes, at)];
}
import type { AgreementRecord, HistoryEntry, PaymentRecord, RefundRecord } from './agreements.repo';
import type { TeamRecord } from './teams.repo';

/** Idempotency items live 30 days (a replay after that meets the sign lock instead). */
const IDEMPOTENCY_TTL_SECONDS = 30 * 24 * 60 * 60;

// ------------------------------------------------------------------ item builders

/** The stored item of an agreement: the record plus the index keys its status calls for. */
export function agreementItem(a: AgreementRecord): Record<string, unknown> {
  const status = a.status;
  const gsi3 =
    status === 'active'
      ? keys.agreementActive(a.regionId, a.shard, a.cycleEnd, a.id)
      : status === 'pending_payment' && a.pendingExpiresAt
        ? keys.agreementPending(a.shard, a.pendingExpiresAt, a.id)
        : status === 'scheduled'
          ? keys.agreementScheduled(a.shard, a.cycleStart, a.id)
          : {};
  return {
    ...keys.agreement(a.id),
    ...keys.agreementByAccount(a.accountId, a.createdAt, a.id),
    ...keys.agreementByTeam(a.teamId, status, a.createdAt, a.id),
    ...gsi3,
    type: 'agreement',
    ...a,
  };
}

/** Put the agreement as `next`; `expect` = the status and version it was read at (absent = new). */
export function putAgreement(next: AgreementRecord, expect?: { status: string; version: number }): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: agreementItem(next),
      ...(expect
        ? {
            ConditionExpression: '#s = :s AND #v = :v',
            ExpressionAttributeNames: { '#s': 'status', '#v': 'version' },
            ExpressionAttributeValues: { ':s': expect.status, ':v': expect.version },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** The next version of `a` after a transition (history appended, version bumped). */
export function transitioned(a: AgreementRecord, changes: Partial<AgreementRecord>, entry: HistoryEntry): AgreementRecord {
  return { ...a, ...changes, history: [...a.history, entry], version: a.version + 1, updatedAt: entry.at };
}

function auditPut(agreementId: string, entry: HistoryEntry): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.agreementAudit(agreementId, entry.at, randomUUID()), type: 'agreement-audit', agreementId, ...entry },
    },
  };
}

function claimLock(idHash: string, a: AgreementRecord, memberId: string): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.signLock(idHash), type: 'sign-lock', agreementId: a.id, accountId: a.accountId, memberId, teamId: a.teamId, createdAt: a.updatedAt },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

function releaseLock(idHash: string, agreementId: string): TxItem {
  return {
    Delete: {
      TableName: tableName(),
      Key: keys.signLock(idHash),
      ConditionExpression: 'agreementId = :a',
      ExpressionAttributeValues: { ':a': agreementId },
    },
  };
}

function moveLock(idHash: string, from: string, to: AgreementRecord): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.signLock(idHash),
      UpdateExpression: 'SET agreementId = :to, teamId = :t, updatedAt = :at',
      ConditionExpression: 'agreementId = :from',
      ExpressionAttributeValues: { ':to': to.id, ':from': from, ':t': to.teamId, ':at': to.updatedAt },
    },
  };
}

/** Take `n` places of a team: the counter may not pass the capacity read just before. */
function takePlaces(team: Pick<TeamRecord, 'id' | 'capacity'>, n: number): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.team(team.id),
      UpdateExpression: 'ADD memberCount :n',
      ConditionExpression: 'attribute_exists(pk) AND #cap = :cap AND (attribute_not_exists(memberCount) OR memberCount <= :max)',
      ExpressionAttributeNames: { '#cap': 'capacity' },
      ExpressionAttributeValues: { ':n': n, ':cap': team.capacity, ':max': team.capacity - n },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

function releasePlaces(teamId: string, n: number): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.team(teamId),
      UpdateExpression: 'ADD memberCount :n',
      ConditionExpression: 'attribute_exists(pk) AND memberCount >= :k',
      ExpressionAttributeValues: { ':n': -n, ':k': n },
    },
  };
}

function receivablePut(a: AgreementRecord, activatedAt: string): TxItem {
  const month = monthOf(localDateOf(activatedAt));
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.receivable(a.institutionId, month, a.id),
        type: 'receivable',
        institutionId: a.institutionId,
        month,
        agreementId: a.id,
        teamId: a.teamId,
        activatedAt,
        memberCount: a.members.length,
        byPayer: a.byPayer,
        byPayerGroup: a.byPayerGroup,
        residentPaidFen: a.paidFen,
        receivableFen: receivableFen(a.byPayer),
      },
    },
  };
}

export function paymentPut(p: PaymentRecord, expectStatus?: string): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.payment(p.agreementId, p.outTradeNo), type: 'payment', ...p },
      ...(expectStatus
        ? { ConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': expectStatus } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

export function refundPut(r: RefundRecord, expectStatus?: string): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.refund(r.agreementId, r.outRefundNo), type: 'refund', ...r },
      ...(expectStatus
        ? { ConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': expectStatus } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

// ------------------------------------------------------------------ errors

/** The agreement changed under us (another transition committed first): the caller re-reads. */
export class AgreementRaced extends Error {
  constructor() {
    super('agreement changed concurrently');
    this.name = 'AgreementRaced';
  }
}

export const TEAM_FULL_MESSAGE = '团队已满，请选择其他家庭医生团队';
export const ALREADY_SIGNED_MESSAGE = '已有生效或待支付的签约';

export class TeamCapacityChanged extends Error {
  constructor() {
    super('team capacity changed');
    this.name = 'TeamCapacityChanged';
  }
}

function teamError(e: TransactionFailed, at: number, expectCapacity: number): Error | undefined {
  const r = e.failedAt(at);
  if (!r) return undefined;
  const cap = r.Item?.capacity?.N;
  if (cap !== undefined && Number(cap) !== expectCapacity) return new TeamCapacityChanged();
  return new ConflictError('TEAM_FULL', TEAM_FULL_MESSAGE, [{ path: 'teamId', message: TEAM_FULL_MESSAGE }]);
}

export class PersonLocked extends ConflictError {
  constructor(
    readonly memberIndex: number,
    readonly memberName: string,
    readonly heldBy: string | undefined,
  ) {
    super('ALREADY_SIGNED', `${memberName}${ALREADY_SIGNED_MESSAGE}，不能重复签约`, [
      { path: `members.${memberIndex}.memberId`, message: `${memberName}${ALREADY_SIGNED_MESSAGE}` },
    ]);
  }
}

// ------------------------------------------------------------------ transitions

export interface SignInput {
  agreement: AgreementRecord;
  team: TeamRecord;
  idempotency: { accountId: string; key: string; requestHash: string };
  entry: HistoryEntry;
  now: Date;
}

export type SignOutcome = { kind: 'created' } | { kind: 'replay'; agreementId: string; requestHash: string };

/**
 * The signing transaction: idempotency item, team counter, one lock per member, the agreement,
 * its audit (and, when nothing is owed, its receivable). Typed errors: TEAM_FULL, ALREADY_SIGNED
 * (PersonLocked, with the holder), TeamCapacityChanged (re-read and retry).
 */
export async function signTx(input: SignInput): Promise<SignOutcome> {
  const { agreement: a, team, idempotency: idem } = input;
  const items: TxItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.signIdempotency(idem.accountId, idem.key),
          type: 'sign-idempotency',
          agreementId: a.id,
          requestHash: idem.requestHash,
          createdAt: a.createdAt,
          expiresAt: Math.floor(input.now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    takePlaces(team, a.members.length),
    ...a.members.map((m) => claimLock(m.idHash, a, m.memberId)),
    putAgreement(a),
    auditPut(a.id, input.entry),
  ];
  if (a.status === 'active') items.push(receivablePut(a, a.activatedAt ?? a.createdAt));
  items.push(...reportCounters([{ after: a }], a.createdAt));
  try {
    await transact(items);
    return { kind: 'created' };
  } catch (e) {
    if (!(e instanceof TransactionFailed)) throw e;
    const idemFail = e.failedAt(0);
    if (idemFail) return { kind: 'replay', agreementId: idemFail.Item?.agreementId?.S ?? '', requestHash: idemFail.Item?.requestHash?.S ?? '' };
    for (let i = 0; i < a.members.length; i++) {
      const r = e.failedAt(2 + i);
      if (r) throw new PersonLocked(i, a.members[i]!.name, r.Item?.agreementId?.S);
    }
    const t = teamError(e, 1, team.capacity);
    if (t) throw t;
    throw e;
  }
}

async function run(items: TxItem[], agreementAt = 0): Promise<void> {
  try {
    await transact(items);
  } catch (e) {
    if (e instanceof TransactionFailed && e.failedAt(agreementAt)) throw new AgreementRaced();
    throw e;
  }
}

/** pending_payment → active/scheduled on payment: agreement, payment, receivable, audit. */
export async function activateTx(input: { before: AgreementRecord; after: AgreementRecord; payment: PaymentRecord; paymentExpect: string; entry: HistoryEntry }): Promise<void> {
  const items: TxItem[] = [putAgreement(input.after, input.before), paymentPut(input.payment, input.paymentExpect), auditPut(input.after.id, input.entry)];
  if (input.after.status === 'active') items.push(receivablePut(input.after, input.after.activatedAt!));
  items.push(...reportCounters([{ before: input.before, after: input.after }], input.entry.at));
  await run(items);
}

/**
 * A payment for an agreement cancelled as unpaid: re-take the places (locks + team counter) and
 * activate, in one transaction. TEAM_FULL / PersonLocked when the places are gone (→ refund).
 */
export async function reactivateTx(input: { before: AgreementRecord; after: AgreementRecord; team: TeamRecord; payment: PaymentRecord; paymentExpect: string; entry: HistoryEntry }): Promise<void> {
  const a = input.after;
  const items: TxItem[] = [
    putAgreement(a, input.before),
    takePlaces(input.team, a.members.length),
    ...a.members.map((m) => claimLock(m.idHash, a, m.memberId)),
    paymentPut(input.payment, input.paymentExpect),
    auditPut(a.id, input.entry),
    receivablePut(a, a.activatedAt!),
    ...reportCounters([{ before: input.before, after: a }], input.entry.at),
  ];
  try {
    await transact(items);
  } catch (e) {
    if (!(e instanceof TransactionFailed)) throw e;
    if (e.failedAt(0)) throw new AgreementRaced();
    for (let i = 0; i < a.members.length; i++) {
      const r = e.failedAt(2 + i);
      if (r) throw new PersonLocked(i, a.members[i]!.name, r.Item?.agreementId?.S);
    }
    const t = teamError(e, 1, input.team.capacity);
    if (t) throw t;
    throw e;
  }
}

/**
 * An agreement that holds places ends (unpaid expiry, cancellation, termination, cycle end
 * without renewal): agreement, lock releases, team counter, audit, optional refund record.
 * A renewal that never held places only detaches from its predecessor.
 */
export async function releaseTx(input: {
  before: AgreementRecord;
  after: AgreementRecord;
  entry: HistoryEntry;
  refund?: RefundRecord;
  previous?: { before: AgreementRecord; after: AgreementRecord };
  holdsPlaces: boolean;
}): Promise<void> {
  const a = input.after;
  const items: TxItem[] = [putAgreement(a, input.before), auditPut(a.id, input.entry)];
  if (input.holdsPlaces) {
    items.push(releasePlaces(a.teamId, a.members.length), ...a.members.map((m) => releaseLock(m.idHash, a.id)));
  }
  if (input.previous) items.push(putAgreement(input.previous.after, input.previous.before));
  if (input.refund) items.push(refundPut(input.refund));
  items.push(...reportCounters([{ before: input.before, after: a }], input.entry.at));
  await run(items);
}

/** Change of team: old → changed, new agreement at the new team, locks handed over, counters moved. */
export async function changeTeamTx(input: { before: AgreementRecord; after: AgreementRecord; created: AgreementRecord; newTeam: TeamRecord; entryOld: HistoryEntry; entryNew: HistoryEntry }): Promise<void> {
  const { created: n } = input;
  const items: TxItem[] = [
    putAgreement(input.after, input.before),
    takePlaces(input.newTeam, n.members.length),
    putAgreement(n),
    releasePlaces(input.before.teamId, n.members.length),
    ...n.members.map((m) => moveLock(m.idHash, input.before.id, n)),
    auditPut(input.after.id, input.entryOld),
    auditPut(n.id, input.entryNew),
    ...reportCounters([{ before: input.before, after: input.after }, { after: n }], input.entryNew.at),
  ];
  try {
    await transact(items);
  } catch (e) {
    if (!(e instanceof TransactionFailed)) throw e;
    if (e.failedAt(0)) throw new AgreementRaced();
    const t = teamError(e, 1, input.newTeam.capacity);
    if (t) throw t;
    throw e;
  }
}

/** Renewal requested: the successor (pending_payment or scheduled) + the predecessor's link + idempotency. */
export async function renewTx(input: {
  before: AgreementRecord;
  after: AgreementRecord;
  created: AgreementRecord;
  idempotency: { accountId: string; key: string; requestHash: string };
  entryOld: HistoryEntry;
  entryNew: HistoryEntry;
  now: Date;
}): Promise<SignOutcome> {
  const idem = input.idempotency;
  const items: TxItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.signIdempotency(idem.accountId, idem.key),
          type: 'sign-idempotency',
          agreementId: input.created.id,
          requestHash: idem.requestHash,
          createdAt: input.created.createdAt,
          expiresAt: Math.floor(input.now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    putAgreement(input.after, input.before),
    putAgreement(input.created),
    auditPut(input.after.id, input.entryOld),
    auditPut(input.created.id, input.entryNew),
  ];
  if (input.created.status === 'scheduled' && input.created.paidFen === 0) {
    // Nothing to pay: the fund shares of the renewal are receivable from now on.
    items.push(receivablePut(input.created, input.created.activatedAt ?? input.created.createdAt));
  }
  try {
    await transact(items);
    return { kind: 'created' };
  } catch (e) {
    if (!(e instanceof TransactionFailed)) throw e;
    const idemFail = e.failedAt(0);
    if (idemFail) return { kind: 'replay', agreementId: idemFail.Item?.agreementId?.S ?? '', requestHash: idemFail.Item?.requestHash?.S ?? '' };
    if (e.failedAt(1)) throw new AgreementRaced();
    throw e;
  }
}

/**
 * Cycle end with a successor: the old agreement expires and the successor (a confirmed renewal
 * taking over, or a new free agreement) becomes active; the locks move, the counter stays.
 */
export async function handOverTx(input: {
  before: AgreementRecord;
  after: AgreementRecord;
  next: { before?: AgreementRecord; after: AgreementRecord };
  entryOld: HistoryEntry;
  entryNew: HistoryEntry;
}): Promise<void> {
  const n = input.next.after;
  const items: TxItem[] = [
    putAgreement(input.after, input.before),
    putAgreement(n, input.next.before),
    ...n.members.map((m) => moveLock(m.idHash, input.before.id, n)),
    auditPut(input.after.id, input.entryOld),
    auditPut(n.id, input.entryNew),
  ];
  if (!input.next.before) items.push(receivablePut(n, n.activatedAt ?? n.createdAt));
  items.push(...reportCounters([{ before: input.before, after: input.after }, { ...(input.next.before && { before: input.next.before }), after: n }], input.entryNew.at));
  await run(items);
}

/** Payment bookkeeping outside a transition (late payment refunded, refund settled). */
export async function paymentBookkeepingTx(items: { payment?: { next: PaymentRecord; expect: string }; refund?: { next: RefundRecord; expect?: string }; agreement?: { before: AgreementRecord; after: AgreementRecord }; entry?: HistoryEntry }): Promise<void> {
  const tx: TxItem[] = [];
  if (items.agreement) tx.push(putAgreement(items.agreement.after, items.agreement.before));
  if (items.payment) tx.push(paymentPut(items.payment.next, items.payment.expect));
  if (items.refund) tx.push(refundPut(items.refund.next, items.refund.expect));
  if (items.entry && items.agreement) tx.push(auditPut(items.agreement.after.id, items.entry));
  await run(tx, items.agreement ? 0 : -1);
}
