/**
 * Unpaid agreements: the hold runs out (the 5-minute job, or lazily when read or when its lock
 * blocks a signing) or the resident cancels — pending_payment → cancelled, places released in one
 * transaction (planUnpaidEnd). Reads of an agreement go through here so an expired hold is never
 * shown as pending.
 */
import { isUnpaidExpired, outTradeNoOf } from '@jiayi/shared/domain/agreements/lifecycle';
import { agreementNotFound } from '@jiayi/shared/domain/agreements/refusals';
import { planUnpaidEnd, type UnpaidEnd } from '@jiayi/shared/domain/agreements/transitions';
import { ConflictError } from '@jiayi/shared/domain/errors';
import { ACTIVE_SHARDS, getAgreement, listAgreementsForAccount, pendingExpiredBy, type Actor, type AgreementRecord } from '../db/agreements.repo';
import { applyAgreementPlan } from '../db/agreements.tx';
import { log } from '../lib/log';
import { paymentProvider } from './settings';

const MAX_ROUNDS = 5;
const LAZY: Actor = { kind: 'system', id: 'lazy-expiry' };

/**
 * pending_payment → cancelled, decided again on every fresh read (a payment may have won). The
 * WeChat order is closed afterwards (best effort: a payment that still arrives is refunded).
 */
export async function expireUnpaid(a0: AgreementRecord, now: Date, by: Actor, reason: UnpaidEnd = 'unpaid'): Promise<boolean> {
  let a: AgreementRecord | undefined = a0;
  for (let round = 0; round < MAX_ROUNDS && a; round++) {
    const predecessor = a.origin === 'renewal' && a.previousAgreementId ? await getAgreement(a.previousAgreementId) : undefined;
    const t = planUnpaidEnd(a, predecessor, reason, now, by);
    if (!t) return false;
    if ((await applyAgreementPlan(t.plan)).kind === 'committed') {
      log.info('agreement cancelled unpaid', { agreementId: a.id, reason });
      const id = a.id;
      if (a.payments.length) await paymentProvider().closeOrder(outTradeNoOf(id)).catch((err: unknown) => log.warn('close order failed', { agreementId: id, error: String(err) }));
      return true;
    }
    a = await getAgreement(a.id);
  }
  return false;
}

/** Lazy expiry: the agreement `id` cancelled when its unpaid hold has run out. True when the hold had run out (its places are free now). */
export async function expireIfHoldEnded(id: string, now: Date): Promise<boolean> {
  const a = await getAgreement(id);
  if (!a || !isUnpaidExpired(a, now)) return false;
  await expireUnpaid(a, now, LAZY);
  return true;
}

/** Scheduled: every unpaid agreement whose hold ran out (all shards). */
export async function expireUnpaidSweep(now: Date): Promise<number> {
  let n = 0;
  for (let shard = 0; shard < ACTIVE_SHARDS; shard++) {
    for await (const a of pendingExpiredBy(shard, now)) {
      const fresh = await getAgreement(a.id);
      if (fresh && isUnpaidExpired(fresh, now) && (await expireUnpaid(fresh, now, { kind: 'system', id: 'expiry-job' }))) n++;
    }
  }
  return n;
}

/** The agreement, expired first when its unpaid hold has run out (lazy expiry on read). */
export async function readAgreement(id: string, now: Date): Promise<AgreementRecord | undefined> {
  const a = await getAgreement(id);
  if (a && isUnpaidExpired(a, now)) {
    await expireUnpaid(a, now, LAZY);
    return getAgreement(id);
  }
  return a;
}

/** The agreement of this resident (another household's is not found — never forbidden, never read). */
export async function ownedAgreement(accountId: string, id: string, now: Date): Promise<AgreementRecord> {
  const a = await readAgreement(id, now);
  if (!a || a.accountId !== accountId) throw agreementNotFound();
  return a;
}

/** GET /agreements: the household's agreements, newest first, unpaid ones read with lazy expiry. */
export async function agreementsOf(accountId: string, now: Date): Promise<AgreementRecord[]> {
  const out: AgreementRecord[] = [];
  for (const a of (await listAgreementsForAccount(accountId)).reverse()) {
    const fresh = a.status === 'pending_payment' ? await readAgreement(a.id, now) : a;
    if (fresh) out.push(fresh);
  }
  return out;
}

/** POST /agreements/{id}/cancel: the resident cancels an unpaid agreement; the places are released at once. */
export async function cancelUnpaid(accountId: string, id: string, now: Date, by: Actor): Promise<AgreementRecord> {
  const a = await ownedAgreement(accountId, id, now);
  if (a.status === 'pending_payment') await expireUnpaid(a, now, by, 'cancelled_by_resident');
  const after = await getAgreement(id);
  if (after?.status !== 'cancelled') throw new ConflictError('AGREEMENT_STATE', '只有待支付的协议可以取消');
  return after;
}
