/**
 * Agreement plans (shared/src/domain/agreements/writes.ts) as ONE TransactWriteItems each, whose
 * conditions carry the invariants (docs/table-design.md "Agreements", docs/signing.md):
 *
 * - a person has at most one current agreement: sign lock `SIGNLOCK#<idHash>` Put with
 *   `attribute_not_exists(pk)`; released (Delete) or handed over (Update) only conditioned on
 *   `agreementId = <this agreement>`;
 * - a team never exceeds its capacity: `ADD memberCount :n` with `memberCount <= capacity - n AND
 *   capacity = <capacity read>`; every release moves the counter back in the same transaction;
 * - one agreement per idempotency key: idempotency item `attribute_not_exists(pk)`;
 * - the agreement item is written whole, conditioned on the status and version it was read at,
 *   so two transitions racing (payment vs expiry, terminate vs change of team) never both apply.
 *
 * Translation only: what a failed condition means is the plan's (commit() in ./transact.ts).
 */
import { randomUUID } from 'node:crypto';
import type { AgreementPlan, AgreementWrite } from '@jiayi/shared/domain/agreements/writes';
import type { AgreementRecord } from '@jiayi/shared/domain/agreements/record';
import type { Applied } from '@jiayi/shared/domain/plan';
import { tableName } from './client';
import { keys } from './keys';
import { counterAdd } from './reports.repo';
import { activationMarkerPut } from './push-activations.repo';
import { commit, type TxItem } from './transact';

/** Idempotency items live 30 days (a replay after that meets the sign lock instead). */
const IDEMPOTENCY_TTL_SECONDS = 30 * 24 * 60 * 60;

/** The stored item of an agreement: the record plus the index keys its status calls for. */
export function agreementItem(a: AgreementRecord): Record<string, unknown> {
  const gsi3 =
    a.status === 'active'
      ? keys.agreementActive(a.regionId, a.shard, a.cycleEnd, a.id)
      : a.status === 'pending_payment' && a.pendingExpiresAt
        ? keys.agreementPending(a.shard, a.pendingExpiresAt, a.id)
        : {};
  return {
    ...keys.agreement(a.id),
    ...keys.agreementByAccount(a.accountId, a.createdAt, a.id),
    ...keys.agreementByTeam(a.teamId, a.status, a.createdAt, a.id),
    ...gsi3,
    type: 'agreement',
    ...a,
  };
}

/** A new item (`expect` absent) or one still in the status read. */
function newOrAt(expect: string | undefined) {
  return expect
    ? { ConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': expect } }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
}

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** One write of an agreement plan as its TransactWriteItems entry. */
export function encodeAgreementWrite(w: AgreementWrite): TxItem {
  const TableName = tableName();
  switch (w.op) {
    case 'agreement':
      return {
        Put: {
          TableName,
          Item: agreementItem(w.agreement),
          ...(w.expect
            ? {
                ConditionExpression: '#s = :s AND #v = :v',
                ExpressionAttributeNames: { '#s': 'status', '#v': 'version' },
                ExpressionAttributeValues: { ':s': w.expect.status, ':v': w.expect.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
    case 'audit':
      return { Put: { TableName, Item: { ...keys.agreementAudit(w.agreementId, w.entry.at, randomUUID()), type: 'agreement-audit', agreementId: w.agreementId, ...w.entry } } };
    case 'idempotency':
      return {
        Put: {
          TableName,
          Item: {
            ...keys.signIdempotency(w.accountId, w.key),
            type: 'sign-idempotency',
            agreementId: w.agreementId,
            requestHash: w.requestHash,
            createdAt: w.createdAt,
            expiresAt: epochSeconds(w.createdAt) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
    case 'takePlaces':
      return {
        Update: {
          TableName,
          Key: keys.team(w.teamId),
          UpdateExpression: 'ADD memberCount :n',
          ConditionExpression: 'attribute_exists(pk) AND #cap = :cap AND (attribute_not_exists(memberCount) OR memberCount <= :max)',
          ExpressionAttributeNames: { '#cap': 'capacity' },
          ExpressionAttributeValues: { ':n': w.n, ':cap': w.capacity, ':max': w.capacity - w.n },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
    case 'releasePlaces':
      return {
        Update: {
          TableName,
          Key: keys.team(w.teamId),
          UpdateExpression: 'ADD memberCount :n',
          ConditionExpression: 'attribute_exists(pk) AND memberCount >= :k',
          ExpressionAttributeValues: { ':n': -w.n, ':k': w.n },
        },
      };
    case 'claimLock':
      return {
        Put: {
          TableName,
          Item: { ...keys.signLock(w.idHash), type: 'sign-lock', agreementId: w.agreementId, accountId: w.accountId, memberId: w.memberId, teamId: w.teamId, createdAt: w.at },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
    case 'releaseLock':
      return { Delete: { TableName, Key: keys.signLock(w.idHash), ConditionExpression: 'agreementId = :a', ExpressionAttributeValues: { ':a': w.agreementId } } };
    case 'moveLock':
      return {
        Update: {
          TableName,
          Key: keys.signLock(w.idHash),
          UpdateExpression: 'SET agreementId = :to, teamId = :t, updatedAt = :at',
          ConditionExpression: 'agreementId = :from',
          ExpressionAttributeValues: { ':to': w.to, ':from': w.from, ':t': w.teamId, ':at': w.at },
        },
      };
    case 'payment':
      return { Put: { TableName, Item: { ...keys.payment(w.payment.agreementId, w.payment.outTradeNo), type: 'payment', ...w.payment }, ...newOrAt(w.expect) } };
    case 'refund':
      return { Put: { TableName, Item: { ...keys.refund(w.refund.agreementId, w.refund.outRefundNo), type: 'refund', ...w.refund }, ...newOrAt(w.expect) } };
    case 'receivable': {
      const r = w.receivable;
      return { Put: { TableName, Item: { ...keys.receivable(r.institutionId, r.month, r.agreementId), type: 'receivable', ...r } } };
    }
    case 'reportCounter':
      return counterAdd(w.institutionId, 'SIGN', w.month, w.teamId, w.delta);
    case 'pushActivation':
      return activationMarkerPut(w);
  }
}

/** Write an agreement plan as one transaction. */
export function applyAgreementPlan(plan: AgreementPlan): Promise<Applied> {
  return commit(plan, encodeAgreementWrite);
}
