/**
 * Decisions that create an agreement — signing, renewal, change of team and the free successor at
 * a cycle end — each as a plan (./writes.ts) plus the record it creates. The loaded state comes in
 * (team with its counter, household facts, the current agreement, policy, today, now, a fresh id);
 * nothing here reads a clock or a store.
 */
import { addDays, type LocalDate } from '../dates';
import { ConflictError } from '../errors';
import { assertQuoteOk, quote, type MemberSelection, type Quote, type RegionPolicy } from '../policy';
import { AGREEMENT_TEXT_VERSION } from './document';
import { draftAgreement, type SigningPerson } from './lifecycle';
import {
  agreementRecord,
  historyEntry,
  teamRefOf,
  termsOf,
  termsOfDraft,
  transitioned,
  type Actor,
  type AgreementOrigin,
  type AgreementRecord,
  type TeamRef,
} from './record';
import { agreementStateChanged, agreementTextOutdated, teamFullError } from './refusals';
import { assertAllowed, canChangeTeam, canRenew } from './state';
import { audit, claimLocks, created, idempotency, moved, moveLocks, receivable, releasePlaces, statusEffects, takePlaces, type AgreementItem, type AgreementPlan } from './writes';

/** A team as loaded for a decision: its counter and capacity as read (consistently). */
export interface TeamState extends TeamRef {
  regionId: string;
  capacity: number;
  memberCount: number;
}

/** The caller's household members chosen for an agreement, with their stored facts (quote input). */
export interface HouseholdSelection {
  representativeName: string;
  people: SigningPerson[];
  selections: MemberSelection[];
}

export interface Decided {
  /** The agreement the plan creates. */
  agreement: AgreementRecord;
  plan: AgreementPlan;
}

// ---------------------------------------------------------------- checks before loading more

/** The resident consented to the current agreement text (docs/decisions.md "Signing and payments"). */
export function assertCurrentText(agreementTextVersion: string): void {
  if (agreementTextVersion !== AGREEMENT_TEXT_VERSION) throw agreementTextOutdated();
}

/** A full team answers 409 before any write when its counter already shows it; the transaction decides every race. */
export function assertRoom(team: Pick<TeamState, 'capacity' | 'memberCount'>, n: number): void {
  if (team.memberCount + n > team.capacity) throw teamFullError();
}

/** A quote the household can sign (every member's packages eligible). */
export function signableQuote(h: HouseholdSelection, policy: RegionPolicy, today: LocalDate): Quote {
  const q = quote({ members: h.selections }, policy, today);
  assertQuoteOk(q);
  return q;
}

// ---------------------------------------------------------------- signing

export interface SigningState {
  accountId: string;
  by: Actor;
  request: { agreementTextVersion: string; idempotencyKey: string; requestHash: string };
  team: TeamState;
  household: HouseholdSelection;
  policy: RegionPolicy;
  today: LocalDate;
  now: Date;
  id: string;
  holdMinutes: number;
}

/**
 * POST /agreements: the server re-quotes (never the client's prices) and signs in one
 * transaction that enforces one agreement per idempotency key, one current agreement per person
 * and the team's capacity (docs/signing.md).
 */
export function planSigning(s: SigningState): Decided {
  assertCurrentText(s.request.agreementTextVersion);
  assertRoom(s.team, s.household.selections.length);
  const draft = draftAgreement({ policy: s.policy, quote: signableQuote(s.household, s.policy, s.today), people: s.household.people, today: s.today });
  const a = agreementRecord({
    id: s.id,
    accountId: s.accountId,
    representativeName: s.household.representativeName,
    team: s.team,
    terms: termsOfDraft(s.policy, draft),
    status: draft.status,
    origin: 'signed',
    consent: { agreementTextVersion: s.request.agreementTextVersion, at: s.now.toISOString() },
    idempotencyKey: s.request.idempotencyKey,
    first: historyEntry(s.now, s.by, 'signed', null, draft.status),
    holdMinutes: s.holdMinutes,
  });
  // Precedence of failures = item order: a replay first, then a member already signed, then a full team.
  const items: AgreementItem[] = [
    idempotency({ accountId: s.accountId, key: s.request.idempotencyKey, requestHash: s.request.requestHash }, a),
    ...claimLocks(a),
    takePlaces(a, s.team.capacity),
    created('agreement', a),
    audit('audit', a.id, a.history[0]!),
    ...(a.status === 'active' ? [receivable(a, a.activatedAt ?? a.createdAt)] : []),
    ...statusEffects([{ after: a }], a.createdAt),
  ];
  return { agreement: a, plan: { items } };
}

// ---------------------------------------------------------------- renewal

/** The members of `a` as a new selection: the same packages (or the basic package only), signing kind kept where the region has kinds. */
export function renewalSelections(a: AgreementRecord, policy: RegionPolicy, basicOnly: boolean, kind?: 'free' | 'paid') {
  return a.members.map((m) => ({
    memberId: m.memberId,
    packageCodes: basicOnly ? [] : m.packages.filter((p) => !p.autoIncluded && p.code !== policy.basicPackageCode).map((p) => p.code),
    ...(kind && policy.defaultSigningKind !== null && { signingKind: kind }),
  }));
}

/** The first day of the cycle after `a`'s: the renewal is quoted under the policy in force then. */
export function nextCycleStart(a: Pick<AgreementRecord, 'cycleEnd'>): LocalDate {
  return addDays(a.cycleEnd, 1);
}

export interface RenewalState {
  current: AgreementRecord;
  /** The policy `current` was signed under (its renewal window). */
  policy: RegionPolicy;
  /** The policy in force on the next cycle's first day. */
  nextPolicy: RegionPolicy;
  household: HouseholdSelection;
  input: { termYears?: number; idempotencyKey: string; requestHash: string };
  by: Actor;
  today: LocalDate;
  now: Date;
  id: string;
  holdMinutes: number;
}

/** POST /agreements/{id}/renew: the successor (pending_payment, or scheduled when nothing is owed) linked from the current agreement. */
export function planRenewal(s: RenewalState): Decided {
  const a = s.current;
  assertAllowed(canRenew(a, s.policy, s.today));
  const draft = draftAgreement({
    policy: s.nextPolicy,
    quote: signableQuote(s.household, s.nextPolicy, s.today),
    people: s.household.people,
    today: s.today,
    renewal: { previousEnd: a.cycleEnd, ...(s.input.termYears !== undefined && { termYears: s.input.termYears }) },
  });
  const status = draft.residentDueFen > 0 ? 'pending_payment' : 'scheduled';
  const next = agreementRecord({
    id: s.id,
    accountId: a.accountId,
    representativeName: s.household.representativeName,
    team: teamRefOf(a),
    terms: termsOfDraft(s.nextPolicy, draft),
    status,
    origin: 'renewal',
    consent: { agreementTextVersion: a.consent.agreementTextVersion, at: s.now.toISOString() },
    idempotencyKey: s.input.idempotencyKey,
    first: historyEntry(s.now, s.by, 'renewal_signed', null, status),
    holdMinutes: s.holdMinutes,
    previousAgreementId: a.id,
  });
  const eOld = historyEntry(s.now, s.by, 'renewal_signed', 'active', 'active', `续约至${draft.cycle.end}`);
  const items: AgreementItem[] = [
    idempotency({ accountId: a.accountId, key: s.input.idempotencyKey, requestHash: s.input.requestHash }, next),
    // The resident decides again when the current agreement moved meanwhile (no silent retry).
    moved('agreement', a, transitioned(a, { nextAgreementId: next.id }, eOld), () => ({ kind: 'refuse', error: agreementStateChanged() })),
    created('successor', next),
    audit('audit', a.id, eOld),
    audit('successorAudit', next.id, next.history[0]!),
    // Nothing to pay: the fund shares of the renewal are receivable from now on.
    ...(status === 'scheduled' ? [receivable(next, next.activatedAt ?? next.createdAt)] : []),
  ];
  return { agreement: next, plan: { items } };
}

// ---------------------------------------------------------------- change of team

/** Checks on the request before the new team is loaded. */
export function assertTeamChange(a: AgreementRecord, teamId: string): void {
  assertAllowed(canChangeTeam(a));
  if (teamId === a.teamId) throw new ConflictError('SAME_TEAM', '新团队与当前签约团队相同', [{ path: 'teamId', message: '请选择其他团队' }]);
}

export interface TeamChangeState {
  current: AgreementRecord;
  team: TeamState;
  reason: string;
  by: Actor;
  now: Date;
  id: string;
}

/** POST /agreements/{id}/change-team: a new agreement (same members, terms and payments) at the new team; the places move in one transaction. */
export function planTeamChange(s: TeamChangeState): Decided {
  const a = s.current;
  assertTeamChange(a, s.team.id);
  if (s.team.regionId !== a.regionId) {
    throw new ConflictError('REGION_MISMATCH', '只能变更为本地区的家庭医生团队', [{ path: 'teamId', message: '只能变更为本地区的家庭医生团队' }]);
  }
  assertRoom(s.team, a.members.length);
  const eOld = historyEntry(s.now, s.by, 'team_changed', 'active', 'changed', s.reason);
  const next = agreementRecord({
    id: s.id,
    accountId: a.accountId,
    representativeName: a.representativeName,
    team: s.team,
    terms: termsOf(a),
    money: { paidFen: a.paidFen, refundedFen: a.refundedFen, payments: a.payments, ...(a.paidAt && { paidAt: a.paidAt }) },
    status: 'active',
    origin: 'team_change',
    consent: a.consent,
    idempotencyKey: `change-${a.id}`,
    first: historyEntry(s.now, s.by, 'team_changed', null, 'active', `由${a.teamName}变更：${s.reason}`),
    holdMinutes: 0,
    previousAgreementId: a.id,
  });
  const after = transitioned(a, { status: 'changed', endedAt: eOld.at, endReason: 'team_changed', nextAgreementId: next.id }, eOld);
  const items: AgreementItem[] = [
    moved('agreement', a, after),
    takePlaces(next, s.team.capacity),
    created('successor', next),
    releasePlaces(a, 'previousTeamCounter'),
    ...moveLocks(a, next),
    audit('audit', a.id, eOld),
    audit('successorAudit', next.id, next.history[0]!),
    ...statusEffects([{ before: a, after }, { after: next }], next.createdAt),
  ];
  return { agreement: next, plan: { items } };
}

// ---------------------------------------------------------------- free successor at a cycle end

export interface FreeSuccessorState {
  current: AgreementRecord;
  /** The policy in force on the next cycle's first day. */
  policy: RegionPolicy;
  household: HouseholdSelection;
  origin: Extract<AgreementOrigin, 'auto_renewal' | 'fall_back'>;
  /** renewalDecision's reason, recorded on the ending agreement. */
  reason: string;
  today: LocalDate;
  now: Date;
  id: string;
}

const DAILY_JOB: Actor = { kind: 'system', id: 'daily-job' };

/**
 * liyang-2019 §二(三)2: a free agreement auto-renews; a paid one not renewed falls back to free
 * basic service. Undefined when the members cannot sign it for free (the agreement expires instead).
 */
export function planFreeSuccessor(s: FreeSuccessorState): Decided | undefined {
  const a = s.current;
  const q = quote({ members: s.household.selections }, s.policy, s.today);
  if (!q.ok || q.byPayer.resident > 0) return undefined;
  const draft = draftAgreement({ policy: s.policy, quote: q, people: s.household.people, today: s.today, renewal: { previousEnd: a.cycleEnd } });
  const action = s.origin === 'fall_back' ? 'fell_back_to_free' : 'auto_renewed';
  const next = agreementRecord({
    id: s.id,
    accountId: a.accountId,
    representativeName: s.household.representativeName,
    team: teamRefOf(a),
    terms: { ...termsOfDraft(s.policy, draft), signingKind: 'free', residentDueFen: 0 },
    status: 'active',
    origin: s.origin,
    consent: a.consent,
    idempotencyKey: `${s.origin}-${a.id}`,
    first: historyEntry(s.now, DAILY_JOB, action, null, 'active'),
    holdMinutes: 0,
    previousAgreementId: a.id,
  });
  const eOld = historyEntry(s.now, DAILY_JOB, action, 'active', 'expired', s.reason);
  const after = transitioned(a, { status: 'expired', endedAt: eOld.at, endReason: 'cycle_end', nextAgreementId: next.id }, eOld);
  const items: AgreementItem[] = [
    moved('agreement', a, after),
    created('successor', next),
    ...moveLocks(a, next),
    audit('audit', a.id, eOld),
    audit('successorAudit', next.id, next.history[0]!),
    receivable(next, next.activatedAt ?? next.createdAt),
    ...statusEffects([{ before: a, after }, { after: next }], next.createdAt),
  ];
  return { agreement: next, plan: { items } };
}
