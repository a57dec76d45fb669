/**
 * Flows that create an agreement (issue 5): the household quote, signing, renewal, change of team.
 * Each reads as load → decide (shared/src/domain/agreements/signing.ts) → apply one plan
 * (../db/agreements.tx.ts) → answer, again from a fresh read while the store says what was read is
 * stale. Every function takes `now`; nothing reads the clock.
 */
import { createHash, randomUUID } from 'node:crypto';
import { localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { policyFor, policyVersion, quote, type Quote } from '@jiayi/shared/domain/policy';
import { agreementNotFound, PersonLocked } from '@jiayi/shared/domain/agreements/refusals';
import { assertAllowed, canRenew } from '@jiayi/shared/domain/agreements/state';
import { assertCurrentText, assertRoom, assertTeamChange, nextCycleStart, planRenewal, planSigning, planTeamChange, renewalSelections } from '@jiayi/shared/domain/agreements/signing';
import type { MemberSelectionBody } from '@jiayi/shared/schemas/agreements';
import { getAgreement, idempotentAgreementId, type Actor, type AgreementRecord } from '../db/agreements.repo';
import { applyAgreementPlan } from '../db/agreements.tx';
import { settings } from '../lib/config';
import { log } from '../lib/log';
import { expireIfHoldEnded } from './expiry';
import { loadHousehold, loadTeam, replayed } from './load';

/** Rounds of load → decide → apply while the store answers that what was read is stale. */
const MAX_ROUNDS = 6;

function stale(what: string): Error {
  return new Error(`${what}: still stale after ${MAX_ROUNDS} rounds`);
}

/** POST /me/quote: the policy engine's quote over the caller's own members' stored facts. */
export async function quoteForHousehold(accountId: string, regionId: string, members: MemberSelectionBody[], today: LocalDate): Promise<Quote> {
  const policy = policyFor(regionId, today);
  const h = await loadHousehold(accountId, members);
  return quote({ members: h.selections }, policy, today);
}

export interface SignRequest {
  teamId: string;
  members: MemberSelectionBody[];
  agreementTextVersion: string;
  idempotencyKey: string;
}

export interface SignResult {
  created: boolean;
  agreement: AgreementRecord;
}

function requestHash(r: SignRequest): string {
  return createHash('sha256')
    .update(JSON.stringify({ teamId: r.teamId, members: r.members.map((m) => ({ id: m.memberId, p: [...m.packageCodes].sort(), k: m.signingKind ?? null })), v: r.agreementTextVersion }))
    .digest('hex')
    .slice(0, 32);
}

/**
 * POST /agreements. The server re-validates eligibility and re-quotes; the transaction enforces
 * one current agreement per person, team capacity and one agreement per idempotency key. A lock
 * held by an unpaid agreement whose hold ran out is released lazily and the signing tried once more.
 */
export async function signAgreement(accountId: string, req: SignRequest, now: Date, by: Actor = { kind: 'resident', id: accountId }): Promise<SignResult> {
  const hash = requestHash(req);
  const known = await idempotentAgreementId(accountId, req.idempotencyKey);
  if (known) return replayed(accountId, known.agreementId, known.requestHash, hash);
  assertCurrentText(req.agreementTextVersion);
  const today = localDateOf(now);
  const first = await loadTeam(req.teamId);
  assertRoom(first, req.members.length);
  const policy = policyFor(first.regionId, today);
  const household = await loadHousehold(accountId, req.members);
  let expiredOnce = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const team = round === 0 ? first : await loadTeam(req.teamId);
    const request = { agreementTextVersion: req.agreementTextVersion, idempotencyKey: req.idempotencyKey, requestHash: hash };
    const d = planSigning({ accountId, by, request, team, household, policy, today, now, id: randomUUID(), holdMinutes: settings().unpaidHoldMinutes });
    const applied = await applyAgreementPlan(d.plan);
    if (applied.kind === 'committed') return { created: true, agreement: d.agreement };
    if (applied.kind === 'replay') return replayed(accountId, applied.id, applied.requestHash, hash);
    if (applied.kind === 'refuse') {
      const holder = applied.error instanceof PersonLocked && !expiredOnce ? applied.error.heldBy : undefined;
      expiredOnce = true;
      if (!holder || !(await expireIfHoldEnded(holder, now))) throw applied.error;
    }
  }
  throw stale('signing');
}

/** POST /agreements/{id}/renew: within the renewal window → the agreement for the next cycle. */
export async function renewAgreement(a: AgreementRecord, input: { termYears?: number; idempotencyKey: string }, now: Date, by: Actor): Promise<SignResult> {
  const today = localDateOf(now);
  const hash = createHash('sha256').update(`renew:${a.id}:${input.termYears ?? ''}`).digest('hex').slice(0, 32);
  const known = await idempotentAgreementId(a.accountId, input.idempotencyKey);
  if (known) return replayed(a.accountId, known.agreementId, known.requestHash, hash);
  const policy = policyVersion(a.regionId, a.policyVersion);
  assertAllowed(canRenew(a, policy, today));
  const nextPolicy = policyFor(a.regionId, nextCycleStart(a));
  const household = await loadHousehold(a.accountId, renewalSelections(a, nextPolicy, false, a.signingKind));
  const d = planRenewal({ current: a, policy, nextPolicy, household, input: { ...input, requestHash: hash }, by, today, now, id: randomUUID(), holdMinutes: settings().unpaidHoldMinutes });
  const applied = await applyAgreementPlan(d.plan);
  if (applied.kind === 'committed') return { created: true, agreement: d.agreement };
  if (applied.kind === 'replay') return replayed(a.accountId, applied.id, applied.requestHash, hash);
  if (applied.kind === 'refuse') throw applied.error;
  throw stale('renewal');
}

/** POST /agreements/{id}/change-team: the places move to the new team in one transaction. */
export async function changeTeam(a0: AgreementRecord, input: { teamId: string; reason: string }, now: Date, by: Actor): Promise<AgreementRecord> {
  let a = a0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    assertTeamChange(a, input.teamId);
    const d = planTeamChange({ current: a, team: await loadTeam(input.teamId), reason: input.reason, by, now, id: randomUUID() });
    const applied = await applyAgreementPlan(d.plan);
    if (applied.kind === 'committed') {
      log.info('agreement team changed', { agreementId: a.id, newAgreementId: d.agreement.id });
      return d.agreement;
    }
    if (applied.kind === 'refuse') throw applied.error;
    const fresh = await getAgreement(a.id);
    if (!fresh) throw agreementNotFound();
    a = fresh;
  }
  throw stale('change of team');
}
