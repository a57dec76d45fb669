/**
 * Signing and payments flows (issue 5): load → decide (shared/src/domain/agreements, policy
 * engine) → one transaction (../db/agreements.tx.ts). Used by the HTTP handlers
 * (./handler.ts, ../payments/handler.ts), the scheduled jobs (../agreement-jobs/handler.ts), the
 * seed and the benchmark. Every function takes `now`; nothing reads the clock.
 */
import { createHash, randomUUID } from 'node:crypto';
import { addDays, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { ConflictError, NotFoundError, ValidationError } from '@jiayi/shared/domain/errors';
import {
  assertQuoteOk,
  canTerminateEarly,
  policyFor,
  policyVersion,
  quote,
  renewalWindow,
  TERMINATION_REASONS,
  type MemberSelection,
  type Quote,
  type RegionPolicy,
  type TerminationReason,
} from '@jiayi/shared/domain/policy';
import {
  agreementIdOfOutTradeNo,
  agreementRefund,
  assertTransition,
  cycleEndAction,
  cycleOnActivation,
  draftAgreement,
  isUnpaidExpired,
  outTradeNoOf,
  paymentOutcome,
  pendingExpiresAt,
  shardOf,
  type AgreementRefund,
  type SigningPerson,
} from '@jiayi/shared/domain/agreements/lifecycle';
import { AGREEMENT_TEXT_VERSION } from '@jiayi/shared/domain/agreements/document';
import type { MemberSelectionBody } from '@jiayi/shared/schemas/agreements';
import {
  ACTIVE_SHARDS,
  accountOpenid,
  getAgreement,
  getPayment,
  idempotentAgreementId,
  listActiveAgreementsPage,
  listPendingExpiredPage,
  loadAgreementPartition,
  type AgreementOrigin,
  type AgreementRecord,
  type HistoryEntry,
  type PaymentRecord,
  type RefundRecord,
} from '../db/agreements.repo';
import {
  activateTx,
  AgreementRaced,
  changeTeamTx,
  handOverTx,
  paymentBookkeepingTx,
  PersonLocked,
  reactivateTx,
  releaseTx,
  renewTx,
  signTx,
  TeamCapacityChanged,
  TEAM_FULL_MESSAGE,
  transitioned,
  paymentPut,
  putAgreement,
} from '../db/agreements.tx';
import { transact, TransactionFailed } from '../db/transact';
import { deliveredQuantities } from '../db/fulfilment.repo';
import { loadHouseholdMembers } from '../db/household.repo';
import { getInstitution, getTeam, type TeamRecord } from '../db/teams.repo';
import { REGION_IDS } from '@jiayi/shared/domain/policy';
import { NotificationRejected, SimulatedPayProvider, type PaymentNotification } from '../adapters/wechatpay';
import { rfc3339Shanghai } from '../adapters/wechatpay/signing';
import { log } from '../lib/log';
import { paymentProvider, refundProvider, signingSettings } from './settings';

export type Actor = HistoryEntry['by'];

const MAX_RETRIES = 5;

function entry(at: Date, by: Actor, action: HistoryEntry['action'], from: HistoryEntry['from'], to: HistoryEntry['to'], reason: string | null = null): HistoryEntry {
  return { at: at.toISOString(), by, action, from, to, reason };
}

function notFound(): NotFoundError {
  return new NotFoundError('未找到该签约协议', 'AGREEMENT_NOT_FOUND');
}

// ------------------------------------------------------------------ household facts and quotes

interface LoadedHousehold {
  openidKnown: boolean;
  representativeName: string;
  people: SigningPerson[];
  selections: MemberSelection[];
}

async function loadSelection(accountId: string, members: MemberSelectionBody[]): Promise<LoadedHousehold> {
  const h = await loadHouseholdMembers(
    accountId,
    members.map((m) => m.memberId),
  ).catch((e: unknown) => {
    // Point the error at the member in the request.
    if (e instanceof NotFoundError) throw new NotFoundError(e.message, e.code);
    throw e;
  });
  if (!h.account) throw new NotFoundError('账号不存在，请重新登录', 'ACCOUNT_NOT_FOUND');
  if (!h.representativeName) throw new ConflictError('IDENTITY_REQUIRED', '请先完成本人实名认证，再办理签约');
  const people = h.members.map(
    (m): SigningPerson => ({
      memberId: m.memberId,
      name: m.name,
      relation: m.relation,
      idNumberMasked: m.idNumberMasked,
      idHash: m.idHash,
      sex: m.sex,
      facts: { birthDate: m.birthDate, sex: m.sex, conditions: m.conditions, statuses: m.statuses, insuredLocally: m.insuredLocally, localHukou: m.localHukou },
    }),
  );
  const selections = members.map(
    (sel, i): MemberSelection => ({
      memberId: sel.memberId,
      person: people[i]!.facts,
      packageCodes: sel.packageCodes,
      ...(sel.signingKind && { signingKind: sel.signingKind }),
    }),
  );
  return { openidKnown: !!h.account.openid, representativeName: h.representativeName, people, selections };
}

/** POST /me/quote: the policy engine's quote over the caller's own members' stored facts. */
export async function quoteForHousehold(accountId: string, regionId: string, members: MemberSelectionBody[], today: LocalDate): Promise<Quote> {
  const policy = policyFor(regionId, today);
  const h = await loadSelection(accountId, members);
  return quote({ members: h.selections }, policy, today);
}

// ------------------------------------------------------------------ signing

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

async function replay(accountId: string, agreementId: string, storedHash: string, hash: string): Promise<SignResult> {
  if (storedHash && storedHash !== hash) {
    throw new ConflictError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一份签约申请，请刷新后重试', [{ path: 'idempotencyKey', message: '请求编号已被使用' }]);
  }
  const a = await getAgreement(agreementId);
  if (!a || a.accountId !== accountId) throw notFound();
  return { created: false, agreement: a };
}

async function loadTeam(teamId: string, path = 'teamId'): Promise<{ team: TeamRecord; institutionName: string }> {
  const team = await getTeam(teamId, true);
  if (!team) throw new NotFoundError('未找到该家庭医生团队', 'TEAM_NOT_FOUND');
  const inst = await getInstitution(team.institutionId);
  if (!inst) throw new ValidationError({ path, message: '该团队所属医疗机构信息缺失' });
  return { team, institutionName: inst.name };
}

function fullCheck(team: TeamRecord, n: number): void {
  if (team.memberCount + n > team.capacity) {
    throw new ConflictError('TEAM_FULL', TEAM_FULL_MESSAGE, [{ path: 'teamId', message: TEAM_FULL_MESSAGE }]);
  }
}

/**
 * POST /agreements. The server re-validates eligibility and re-quotes; the transaction enforces
 * one current agreement per person, team capacity and one agreement per idempotency key.
 */
export async function signAgreement(accountId: string, req: SignRequest, now: Date, by: Actor = { kind: 'resident', id: accountId }): Promise<SignResult> {
  const hash = requestHash(req);
  const known = await idempotentAgreementId(accountId, req.idempotencyKey);
  if (known) return replay(accountId, known.agreementId, known.requestHash, hash);
  if (req.agreementTextVersion !== AGREEMENT_TEXT_VERSION) {
    const msg = '签约协议文本已更新，请重新阅读后再签约';
    throw new ConflictError('AGREEMENT_TEXT_OUTDATED', msg, [{ path: 'agreementTextVersion', message: msg }]);
  }
  const today = localDateOf(now);
  const loaded = await loadTeam(req.teamId);
  const institutionName = loaded.institutionName;
  let team = loaded.team;
  fullCheck(team, req.members.length);
  const policy = policyFor(team.regionId, today);
  const h = await loadSelection(accountId, req.members);
  const q = quote({ members: h.selections }, policy, today);
  assertQuoteOk(q);
  const draft = draftAgreement({ policy, quote: q, people: h.people, today });

  const id = randomUUID();
  const at = now.toISOString();
  const status = draft.status;
  const record: AgreementRecord = {
    id,
    accountId,
    representativeName: h.representativeName,
    teamId: team.id,
    teamName: team.name,
    institutionId: team.institutionId,
    institutionName,
    regionId: policy.regionId,
    policyVersion: policy.version,
    signingKind: draft.signingKind,
    status,
    cycleStart: draft.cycle.start,
    cycleEnd: draft.cycle.end,
    members: draft.members as AgreementRecord['members'],
    totalFen: draft.totalFen,
    byPayer: draft.byPayer,
    byPayerGroup: draft.byPayerGroup,
    residentDueFen: draft.residentDueFen,
    consent: { agreementTextVersion: req.agreementTextVersion, at },
    idempotencyKey: req.idempotencyKey,
    createdAt: at,
    updatedAt: at,
    ...(status === 'pending_payment' ? { pendingExpiresAt: pendingExpiresAt(at, signingSettings().unpaidHoldMinutes) } : { activatedAt: at }),
    paidFen: 0,
    refundedFen: 0,
    payments: [],
    history: [entry(now, by, 'signed', null, status, null)],
    origin: 'signed',
    shard: shardOf(id, ACTIVE_SHARDS),
    version: 1,
  };
  let expiredOnce = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await signTx({ agreement: record, team, idempotency: { accountId, key: req.idempotencyKey, requestHash: hash }, entry: record.history[0]!, now });
      if (out.kind === 'replay') return replay(accountId, out.agreementId, out.requestHash, hash);
      return { created: true, agreement: record };
    } catch (e) {
      if (e instanceof TeamCapacityChanged && attempt < MAX_RETRIES) {
        ({ team } = await loadTeam(req.teamId));
        fullCheck(team, req.members.length);
        continue;
      }
      // The holder may be an unpaid agreement whose hold has run out: expire it lazily, try once more.
      if (e instanceof PersonLocked && e.heldBy && !expiredOnce) {
        expiredOnce = true;
        const holder = await getAgreement(e.heldBy);
        if (holder && isUnpaidExpired(holder, now)) {
          await expireUnpaid(holder, now, { kind: 'system', id: 'lazy-expiry' });
          ({ team } = await loadTeam(req.teamId));
          continue;
        }
      }
      throw e;
    }
  }
}

// ------------------------------------------------------------------ reading (with lazy expiry)

/** The agreement, expired first when its unpaid hold has run out (lazy expiry on read). */
export async function readAgreement(id: string, now: Date): Promise<AgreementRecord | undefined> {
  const a = await getAgreement(id);
  if (a && isUnpaidExpired(a, now)) {
    await expireUnpaid(a, now, { kind: 'system', id: 'lazy-expiry' });
    return getAgreement(id);
  }
  return a;
}

/** The agreement of this resident (another household's is not found — never forbidden, never read). */
export async function ownedAgreement(accountId: string, id: string, now: Date): Promise<AgreementRecord> {
  const a = await readAgreement(id, now);
  if (!a || a.accountId !== accountId) throw notFound();
  return a;
}

// ------------------------------------------------------------------ unpaid expiry and cancellation

/**
 * pending_payment → cancelled: places released (locks deleted, team counter decremented) in one
 * transaction conditioned on the status; a renewal only detaches from its predecessor. The
 * WeChat order is closed afterwards (best effort: a payment that still arrives is refunded).
 */
export async function expireUnpaid(a0: AgreementRecord, now: Date, by: Actor, reason: 'unpaid' | 'cancelled_by_resident' = 'unpaid'): Promise<boolean> {
  let a: AgreementRecord | undefined = a0;
  for (let attempt = 0; attempt < MAX_RETRIES && a; attempt++) {
    if (a.status !== 'pending_payment') return false;
    const e = entry(now, by, reason === 'unpaid' ? 'payment_expired' : 'payment_expired', 'pending_payment', 'cancelled', reason === 'unpaid' ? '超时未支付' : '居民取消签约');
    const after = transitioned(a, { status: 'cancelled', endedAt: e.at, endReason: reason }, e);
    let previous: { before: AgreementRecord; after: AgreementRecord } | undefined;
    if (a.origin === 'renewal' && a.previousAgreementId) {
      const prev = await getAgreement(a.previousAgreementId);
      if (prev && prev.nextAgreementId === a.id) {
        const pe = entry(now, by, 'renewal_cancelled', prev.status, prev.status, '续约未按时支付');
        previous = { before: prev, after: transitioned(prev, { nextAgreementId: undefined }, pe) };
      }
    }
    try {
      await releaseTx({ before: a, after, entry: e, holdsPlaces: a.origin !== 'renewal', ...(previous && { previous }) });
      log.info('agreement cancelled unpaid', { agreementId: a.id, reason });
      if (a.payments.length) {
        await paymentProvider()
          .closeOrder(outTradeNoOf(a.id))
          .catch((err: unknown) => log.warn('close order failed', { agreementId: a!.id, error: String(err) }));
      }
      return true;
    } catch (err) {
      if (!(err instanceof AgreementRaced) && !(err instanceof TransactionFailed)) throw err;
      a = await getAgreement(a.id);
    }
  }
  return false;
}

/** Scheduled: every unpaid agreement whose hold ran out (all shards). */
export async function expireUnpaidSweep(now: Date): Promise<number> {
  let n = 0;
  for (let shard = 0; shard < ACTIVE_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await listPendingExpiredPage({ shard, before: now, cursor });
      for (const a of page.items) {
        const fresh = await getAgreement(a.id);
        if (fresh && isUnpaidExpired(fresh, now) && (await expireUnpaid(fresh, now, { kind: 'system', id: 'expiry-job' }))) n++;
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return n;
}

// ------------------------------------------------------------------ payment

export interface PayResult {
  agreementId: string;
  outTradeNo: string;
  amountFen: number;
  expiresAt: string;
  requestPayment: Awaited<ReturnType<ReturnType<typeof paymentProvider>['createOrder']>>['requestPayment'];
}

function newPayment(a: AgreementRecord, at: string): PaymentRecord {
  return {
    agreementId: a.id,
    outTradeNo: outTradeNoOf(a.id),
    amountFen: a.residentDueFen,
    status: 'created',
    refundedFen: 0,
    eventIds: [],
    history: [{ at, status: 'created' }],
    createdAt: at,
  };
}

/** POST /agreements/{id}/pay: the prepay order for residentDueFen (one order per agreement). */
export async function payAgreement(accountId: string, id: string, now: Date): Promise<PayResult> {
  let a = await ownedAgreement(accountId, id, now);
  assertTransition(a.origin === 'renewal' ? 'pay_renewal' : 'pay', a.status);
  const outTradeNo = outTradeNoOf(a.id);
  for (let attempt = 0; !(await getPayment(a.id, outTradeNo)); attempt++) {
    const at = now.toISOString();
    const p = newPayment(a, at);
    const after: AgreementRecord = { ...a, payments: [{ agreementId: a.id, outTradeNo, amountFen: p.amountFen }], version: a.version + 1, updatedAt: at };
    try {
      await transact([putAgreement(after, a), paymentPut(p)]);
      a = after;
      break;
    } catch (e) {
      if (!(e instanceof TransactionFailed) || attempt >= MAX_RETRIES) throw e;
      a = await ownedAgreement(accountId, id, now);
      assertTransition(a.origin === 'renewal' ? 'pay_renewal' : 'pay', a.status);
    }
  }
  const openid = await accountOpenid(accountId);
  if (!openid) throw new ConflictError('PAYER_UNKNOWN', '未获取到微信支付身份，请重新登录后再支付');
  const expiresAt = a.pendingExpiresAt!;
  const order = await paymentProvider().createOrder({
    outTradeNo,
    description: '家庭医生签约服务费',
    amountFen: a.residentDueFen,
    payerOpenid: openid,
    notifyUrl: signingSettings().notifyUrl,
    expiresAt: new Date(expiresAt),
    attach: a.id,
  });
  return { agreementId: a.id, outTradeNo, amountFen: a.residentDueFen, expiresAt, requestPayment: order.requestPayment };
}

export type NotificationResult = { outcome: string; agreementId?: string };

/**
 * POST /payments/wechat/notify (and the simulated path): verify, then apply the payment exactly
 * once. Duplicates and out-of-order notifications change nothing twice: the payment item moves
 * created → paid under a condition, and the agreement transition is conditioned on its status.
 */
export async function handlePaymentNotification(input: { headers: Record<string, string | undefined>; rawBody: string; now: Date; requestId: string }): Promise<NotificationResult> {
  let n: PaymentNotification;
  try {
    n = await paymentProvider().parseNotification({ headers: input.headers, rawBody: input.rawBody, now: input.now });
  } catch (e) {
    if (e instanceof NotificationRejected) {
      log.warn('payment notification rejected', { requestId: input.requestId, reason: e.reason, detail: e.detail });
    }
    throw e;
  }
  const agreementId = n.attach && /^[0-9a-f-]{36}$/.test(n.attach) ? n.attach : agreementIdOfOutTradeNo(n.outTradeNo);
  if (!agreementId || outTradeNoOf(agreementId) !== n.outTradeNo) {
    log.error('payment notification for an unknown order', { requestId: input.requestId, outTradeNo: n.outTradeNo, eventId: n.eventId });
    return { outcome: 'unknown_order' };
  }
  return applyPayment(agreementId, n, input.now, input.requestId);
}

async function applyPayment(agreementId: string, n: PaymentNotification, now: Date, requestId: string): Promise<NotificationResult> {
  for (let attempt = 0; attempt < MAX_RETRIES * 2; attempt++) {
    const part = await loadAgreementPartition(agreementId);
    if (!part) {
      log.error('payment notification for a missing agreement', { requestId, agreementId, eventId: n.eventId });
      return { outcome: 'unknown_order', agreementId };
    }
    const a = part.agreement;
    const existing = part.payments.find((p) => p.outTradeNo === n.outTradeNo);
    const payment = existing ?? newPayment(a, now.toISOString());
    const expect = existing ? existing.status : undefined;
    const outcome = paymentOutcome({ tradeState: n.tradeState, amountFen: n.amountFen.total, paymentStatus: payment.status, agreement: a });
    const at = now.toISOString();
    const by: Actor = { kind: 'payment', id: n.transactionId };
    const paid: PaymentRecord = {
      ...payment,
      status: 'paid',
      transactionId: n.transactionId,
      paidAt: n.successTime ? new Date(n.successTime).toISOString() : at,
      eventIds: [...payment.eventIds, n.eventId].slice(-20),
      history: [...payment.history, { at, status: 'paid', note: `微信支付交易号${n.transactionId}` }],
    };
    try {
      switch (outcome) {
        case 'duplicate':
          log.info('payment notification duplicate', { requestId, agreementId, eventId: n.eventId });
          return { outcome, agreementId };
        case 'record_only': {
          if (payment.eventIds.includes(n.eventId) || !existing) return { outcome, agreementId };
          const next: PaymentRecord = { ...payment, eventIds: [...payment.eventIds, n.eventId].slice(-20), history: [...payment.history, { at, status: n.tradeState }] };
          await paymentBookkeepingTx({ payment: { next, expect: payment.status } });
          return { outcome, agreementId };
        }
        case 'activate': {
          const renewal = a.origin === 'renewal';
          const to = assertTransition(renewal ? 'pay_renewal' : 'pay', a.status);
          const policy = policyVersion(a.regionId, a.policyVersion);
          const cycle = cycleOnActivation(
            policy,
            { signingKind: a.signingKind, cycleStart: a.cycleStart, cycleEnd: a.cycleEnd, createdOn: localDateOf(a.createdAt), renewal, packageCodes: packageCodesOf(a) },
            localDateOf(paid.paidAt!),
          );
          const e = entry(now, by, 'paid', a.status, to, null);
          const after = transitioned(
            a,
            { status: to, paidAt: paid.paidAt, paidFen: n.amountFen.total, activatedAt: at, pendingExpiresAt: undefined, cycleStart: cycle.start, cycleEnd: cycle.end, payments: a.payments.length ? a.payments : [{ agreementId: a.id, outTradeNo: n.outTradeNo, amountFen: payment.amountFen }] },
            e,
          );
          await activateTx({ before: a, after, payment: paid, paymentExpect: expect ?? '', entry: e });
          log.info('agreement paid', { requestId, agreementId, status: to });
          return { outcome, agreementId };
        }
        case 'reactivate_or_refund': {
          if (a.origin !== 'renewal') {
            const team = await getTeam(a.teamId, true);
            if (team) {
              const e = entry(now, by, 'reactivated', 'cancelled', 'active', '超时后完成支付，名额仍有空余');
              const after = transitioned(a, { status: 'active', paidAt: paid.paidAt, paidFen: n.amountFen.total, activatedAt: at, endedAt: undefined, endReason: undefined }, e);
              try {
                await reactivateTx({ before: a, after, team, payment: paid, paymentExpect: expect ?? '', entry: e });
                log.info('agreement reactivated by a late payment', { requestId, agreementId });
                return { outcome: 'reactivated', agreementId };
              } catch (err) {
                if (err instanceof TeamCapacityChanged || err instanceof AgreementRaced) continue;
                if (!(err instanceof ConflictError)) throw err; // TEAM_FULL, ALREADY_SIGNED → refund below
              }
            }
          }
          await refundLatePayment(a, payment, paid, expect, n, now, requestId, '签约已超时取消，名额已释放，款项原路退回');
          return { outcome: 'refunded', agreementId };
        }
        case 'refund':
          await refundLatePayment(
            a,
            payment,
            paid,
            expect,
            n,
            now,
            requestId,
            n.amountFen.total !== a.residentDueFen ? '支付金额与应缴金额不符，款项原路退回' : '签约协议已不在待支付状态，款项原路退回',
          );
          return { outcome: 'refunded', agreementId };
      }
    } catch (e) {
      if (e instanceof AgreementRaced || e instanceof TransactionFailed) continue; // someone else moved first: re-read
      throw e;
    }
  }
  throw new ConflictError('PAYMENT_BUSY', '支付处理繁忙，请稍后重试');
}

function packageCodesOf(a: AgreementRecord): string[] {
  return [...new Set(a.members.flatMap((m) => m.packages.map((p) => p.code)))];
}

/** Record a payment the agreement cannot use, and send it back through the adapter. */
async function refundLatePayment(a: AgreementRecord, payment: PaymentRecord, paid: PaymentRecord, expect: string | undefined, n: PaymentNotification, now: Date, requestId: string, reason: string): Promise<void> {
  const at = now.toISOString();
  const refund: RefundRecord = { agreementId: a.id, outRefundNo: `L${n.outTradeNo}`, outTradeNo: n.outTradeNo, amountFen: n.amountFen.total, status: 'pending', reason, at };
  const e = entry(now, { kind: 'payment', id: n.transactionId }, 'late_payment_refunded', a.status, a.status, reason);
  const next: PaymentRecord = { ...paid, status: 'refund_pending', history: [...paid.history, { at, status: 'refund_pending', note: reason }] };
  await paymentBookkeepingTx({
    agreement: { before: a, after: transitioned(a, { payments: a.payments.some((p) => p.outTradeNo === n.outTradeNo) ? a.payments : [...a.payments, { agreementId: a.id, outTradeNo: n.outTradeNo, amountFen: payment.amountFen }] }, e) },
    payment: { next, expect: expect ?? '' },
    refund: { next: refund },
    entry: e,
  });
  log.warn('payment refunded automatically', { requestId, agreementId: a.id, amountFen: refund.amountFen, reason });
  await sendRefund(a.id, refund, n.amountFen.total, now);
}

/** Send a recorded refund through the provider and settle the records (retry-safe: deterministic outRefundNo). */
export async function sendRefund(agreementId: string, refund: RefundRecord, totalFen: number, now: Date): Promise<void> {
  try {
    const r = await refundProvider().refund({ outTradeNo: refund.outTradeNo, outRefundNo: refund.outRefundNo, refundFen: refund.amountFen, totalFen, reason: refund.reason.slice(0, 80) });
    const settled = r.status === 'SUCCESS';
    const at = now.toISOString();
    const paymentAgreementId = agreementIdOfOutTradeNo(refund.outTradeNo) ?? agreementId;
    const pay = await getPayment(paymentAgreementId, refund.outTradeNo);
    const a = await getAgreement(agreementId);
    await paymentBookkeepingTx({
      refund: { next: { ...refund, status: settled ? 'succeeded' : r.status.toLowerCase(), refundId: r.refundId }, expect: 'pending' },
      ...(pay && settled
        ? {
            payment: {
              next: {
                ...pay,
                refundedFen: pay.refundedFen + refund.amountFen,
                status: pay.refundedFen + refund.amountFen >= totalFen ? 'refunded' : pay.status === 'refund_pending' ? 'paid' : pay.status,
                history: [...pay.history, { at, status: 'refunded', note: `退款${refund.amountFen}分` }],
              },
              expect: pay.status,
            },
          }
        : {}),
      ...(a && settled ? { agreement: { before: a, after: transitioned(a, { refundedFen: a.refundedFen + refund.amountFen }, entry(now, { kind: 'payment', id: r.refundId }, 'refunded', a.status, a.status, refund.reason)) } } : {}),
      ...(a && settled ? { entry: entry(now, { kind: 'payment', id: r.refundId }, 'refunded', a.status, a.status, refund.reason) } : {}),
    });
  } catch (e) {
    // The refund record stays 'pending' for staff follow-up (a retry with the same outRefundNo never refunds twice).
    log.error('refund failed', { agreementId, outRefundNo: refund.outRefundNo, error: e instanceof Error ? e.message : String(e) });
  }
}

/** POST /payments/simulate/{agreementId} (simulated provider only): a signed, encrypted success notification through the SAME path. */
export async function simulatePayment(accountId: string, agreementId: string, now: Date, requestId: string): Promise<NotificationResult> {
  const provider = paymentProvider();
  if (!(provider instanceof SimulatedPayProvider)) throw new NotFoundError('接口不存在', 'NO_ROUTE');
  const a = await getAgreement(agreementId);
  if (!a || a.accountId !== accountId) throw notFound();
  const openid = (await accountOpenid(accountId)) ?? 'simulated-openid';
  const outTradeNo = outTradeNoOf(a.id);
  const n = provider.buildNotification({
    outTradeNo,
    transactionId: simulatedTransactionId(outTradeNo),
    amountFen: a.residentDueFen,
    tradeState: 'SUCCESS',
    successTime: rfc3339Shanghai(now),
    payerOpenid: openid,
    attach: a.id,
    now,
  });
  return handlePaymentNotification({ headers: n.headers, rawBody: n.rawBody, now, requestId });
}

export function simulatedTransactionId(outTradeNo: string): string {
  return `4200${BigInt(`0x${outTradeNo.slice(0, 15)}`).toString().padStart(24, '0').slice(0, 24)}`;
}

// ------------------------------------------------------------------ termination

export interface RefundPreview extends AgreementRefund {
  allowed: boolean;
  requiresVerification: boolean;
  message: string;
}

export async function refundPreview(a: AgreementRecord, reason: TerminationReason | undefined, today: LocalDate): Promise<RefundPreview> {
  const policy = policyVersion(a.regionId, a.policyVersion);
  const check = reason
    ? canTerminateEarly(policy, reason)
    : { allowed: policy.termination.early === 'allowed' || policy.termination.allowedReasons.length > 0, requiresVerification: policy.termination.requiresVerification, message: policy.termination.text };
  const r = agreementRefund(a, await deliveredQuantities(a.id), today);
  return { ...r, allowed: check.allowed && a.status === 'active', requiresVerification: check.requiresVerification, message: a.status === 'active' ? check.message : '只有生效中的协议可以解约' };
}

/** POST /agreements/{id}/terminate: places released, refund recorded and sent, in that order. */
export async function terminateAgreement(a0: AgreementRecord, input: { reason: TerminationReason; note?: string; expectedRefundFen?: number }, now: Date, by: Actor): Promise<AgreementRecord> {
  const today = localDateOf(now);
  let a = a0;
  for (let attempt = 0; ; attempt++) {
    assertTransition('terminate', a.status);
    if (a.nextAgreementId) throw new ConflictError('RENEWAL_IN_PROGRESS', '该协议已办理续约，请联系签约机构办理解约');
    const policy = policyVersion(a.regionId, a.policyVersion);
    const check = canTerminateEarly(policy, input.reason);
    if (!check.allowed) throw new ConflictError('TERMINATION_NOT_ALLOWED', check.message, [{ path: 'reason', message: check.message }]);
    const r = agreementRefund(a, await deliveredQuantities(a.id), today);
    if (input.expectedRefundFen !== undefined && input.expectedRefundFen !== r.refundFen) {
      throw new ConflictError('REFUND_CHANGED', '退费金额已变化，请重新查看退费预览后确认', [{ path: 'expectedRefundFen', message: '退费金额已变化' }]);
    }
    const pay = a.payments[0];
    const refund: RefundRecord | undefined =
      r.refundFen > 0 && pay
        ? { agreementId: a.id, outRefundNo: `T${outTradeNoOf(a.id)}`, outTradeNo: pay.outTradeNo, amountFen: r.refundFen, status: 'pending', reason: `解约退费：${TERMINATION_REASONS[input.reason]}`, at: now.toISOString() }
        : undefined;
    const reasonText = `${TERMINATION_REASONS[input.reason]}${input.note ? `：${input.note}` : ''}`;
    const e = entry(now, by, 'terminated', 'active', 'terminated', reasonText);
    const after = transitioned(a, { status: 'terminated', endedAt: e.at, endReason: input.reason }, e);
    try {
      await releaseTx({ before: a, after, entry: e, holdsPlaces: true, ...(refund && { refund }) });
    } catch (err) {
      if (err instanceof AgreementRaced && attempt < MAX_RETRIES) {
        const fresh = await getAgreement(a.id);
        if (!fresh) throw notFound();
        a = fresh;
        continue;
      }
      throw err;
    }
    log.info('agreement terminated', { agreementId: a.id, reason: input.reason, refundFen: r.refundFen });
    if (refund) await sendRefund(a.id, refund, pay!.amountFen, now);
    return (await getAgreement(a.id)) ?? after;
  }
}

// ------------------------------------------------------------------ change of team

export async function changeTeam(a0: AgreementRecord, input: { teamId: string; reason: string }, now: Date, by: Actor): Promise<AgreementRecord> {
  let a = a0;
  for (let attempt = 0; ; attempt++) {
    assertTransition('change_team', a.status);
    if (a.nextAgreementId) throw new ConflictError('RENEWAL_IN_PROGRESS', '该协议已办理续约，请在新服务周期开始后再变更团队');
    if (input.teamId === a.teamId) throw new ConflictError('SAME_TEAM', '新团队与当前签约团队相同', [{ path: 'teamId', message: '请选择其他团队' }]);
    const { team, institutionName } = await loadTeam(input.teamId);
    if (team.regionId !== a.regionId) throw new ConflictError('REGION_MISMATCH', '只能变更为本地区的家庭医生团队', [{ path: 'teamId', message: '只能变更为本地区的家庭医生团队' }]);
    fullCheck(team, a.members.length);
    const id = randomUUID();
    const at = now.toISOString();
    const eOld = entry(now, by, 'team_changed', 'active', 'changed', input.reason);
    const eNew = entry(now, by, 'team_changed', null, 'active', `由${a.teamName}变更：${input.reason}`);
    const created: AgreementRecord = {
      ...a,
      id,
      teamId: team.id,
      teamName: team.name,
      institutionId: team.institutionId,
      institutionName,
      status: 'active',
      createdAt: at,
      updatedAt: at,
      activatedAt: at,
      endedAt: undefined,
      endReason: undefined,
      pendingExpiresAt: undefined,
      idempotencyKey: `change-${a.id}`,
      history: [eNew],
      previousAgreementId: a.id,
      nextAgreementId: undefined,
      origin: 'team_change',
      shard: shardOf(id, ACTIVE_SHARDS),
      version: 1,
    };
    const after = transitioned(a, { status: 'changed', endedAt: at, endReason: 'team_changed', nextAgreementId: id }, eOld);
    try {
      await changeTeamTx({ before: a, after, created, newTeam: team, entryOld: eOld, entryNew: eNew });
      log.info('agreement team changed', { agreementId: a.id, newAgreementId: id });
      return created;
    } catch (err) {
      if ((err instanceof AgreementRaced || err instanceof TeamCapacityChanged) && attempt < MAX_RETRIES) {
        const fresh = await getAgreement(a.id);
        if (!fresh) throw notFound();
        a = fresh;
        continue;
      }
      throw err;
    }
  }
}

// ------------------------------------------------------------------ renewal

function selectionsOf(a: AgreementRecord, basicOnly: boolean, policy: RegionPolicy, kind?: 'free' | 'paid'): MemberSelectionBody[] {
  return a.members.map((m) => ({
    memberId: m.memberId,
    packageCodes: basicOnly ? [] : m.packages.filter((p) => !p.autoIncluded && p.code !== policy.basicPackageCode).map((p) => p.code),
    ...(kind && policy.defaultSigningKind !== null && { signingKind: kind }),
  }));
}

/** POST /agreements/{id}/renew: within the renewal window → the agreement for the next cycle. */
export async function renewAgreement(a: AgreementRecord, input: { termYears?: number; idempotencyKey: string }, now: Date, by: Actor): Promise<SignResult> {
  const today = localDateOf(now);
  const hash = createHash('sha256').update(`renew:${a.id}:${input.termYears ?? ''}`).digest('hex').slice(0, 32);
  const known = await idempotentAgreementId(a.accountId, input.idempotencyKey);
  if (known) return replay(a.accountId, known.agreementId, known.requestHash, hash);
  assertTransition('renew', a.status);
  if (a.nextAgreementId) throw new ConflictError('ALREADY_RENEWED', '该协议已办理续约');
  const policy = policyVersion(a.regionId, a.policyVersion);
  const window = renewalWindow(policy, { start: a.cycleStart, end: a.cycleEnd });
  if (today > a.cycleEnd || (window && (today < window.start || today > window.end))) {
    const msg = window ? `续约办理时间为${window.start}至${window.end}` : '服务周期已结束，请重新签约';
    throw new ConflictError('RENEWAL_WINDOW_CLOSED', msg);
  }
  const nextStart = addDays(a.cycleEnd, 1);
  const nextPolicy = policyFor(a.regionId, nextStart);
  const h = await loadSelection(a.accountId, selectionsOf(a, false, nextPolicy, a.signingKind));
  const q = quote({ members: h.selections }, nextPolicy, today);
  assertQuoteOk(q);
  const draft = draftAgreement({ policy: nextPolicy, quote: q, people: h.people, today, renewal: { previousEnd: a.cycleEnd, ...(input.termYears !== undefined && { termYears: input.termYears }) } });
  const id = randomUUID();
  const at = now.toISOString();
  const status = draft.residentDueFen > 0 ? 'pending_payment' : 'scheduled';
  const eNew = entry(now, by, 'renewal_signed', null, status, null);
  const created: AgreementRecord = {
    ...a,
    id,
    representativeName: h.representativeName,
    policyVersion: nextPolicy.version,
    signingKind: draft.signingKind,
    status,
    cycleStart: draft.cycle.start,
    cycleEnd: draft.cycle.end,
    members: draft.members as AgreementRecord['members'],
    totalFen: draft.totalFen,
    byPayer: draft.byPayer,
    byPayerGroup: draft.byPayerGroup,
    residentDueFen: draft.residentDueFen,
    consent: { agreementTextVersion: a.consent.agreementTextVersion, at },
    idempotencyKey: input.idempotencyKey,
    createdAt: at,
    updatedAt: at,
    pendingExpiresAt: status === 'pending_payment' ? pendingExpiresAt(at, signingSettings().unpaidHoldMinutes) : undefined,
    activatedAt: status === 'scheduled' ? at : undefined,
    paidAt: undefined,
    endedAt: undefined,
    endReason: undefined,
    paidFen: 0,
    refundedFen: 0,
    payments: [],
    history: [eNew],
    previousAgreementId: a.id,
    nextAgreementId: undefined,
    origin: 'renewal',
    shard: shardOf(id, ACTIVE_SHARDS),
    version: 1,
  };
  const eOld = entry(now, by, 'renewal_signed', 'active', 'active', `续约至${draft.cycle.end}`);
  const after = transitioned(a, { nextAgreementId: id }, eOld);
  const out = await renewTx({ before: a, after, created, idempotency: { accountId: a.accountId, key: input.idempotencyKey, requestHash: hash }, entryOld: eOld, entryNew: eNew, now }).catch((e: unknown) => {
    if (e instanceof AgreementRaced) throw new ConflictError('AGREEMENT_STATE', '协议状态已变化，请刷新后重试');
    throw e;
  });
  if (out.kind === 'replay') return replay(a.accountId, out.agreementId, out.requestHash, hash);
  return { created: true, agreement: created };
}

// ------------------------------------------------------------------ cycle end (daily job)

export interface DailyReport {
  handedOver: number;
  renewedFree: number;
  expired: number;
  unpaidExpired: number;
  failed: number;
}

/**
 * Daily: every active agreement whose cycle ended before `today` hands over to its confirmed
 * renewal, auto-renews / falls back to free basic service where the policy says so
 * (renewalDecision), or expires and releases its places.
 */
export async function runDaily(now: Date): Promise<DailyReport> {
  const today = localDateOf(now);
  const report: DailyReport = { handedOver: 0, renewedFree: 0, expired: 0, unpaidExpired: await expireUnpaidSweep(now), failed: 0 };
  for (const regionId of REGION_IDS) {
    for (let shard = 0; shard < ACTIVE_SHARDS; shard++) {
      let cursor: string | undefined;
      do {
        const page = await listActiveAgreementsPage({ regionId, shard, cursor, cycleEndTo: addDays(today, -1) });
        for (const item of page.items) {
          try {
            const r = await endCycle(item.id, now);
            if (r) report[r]++;
          } catch (e) {
            report.failed++;
            log.error('cycle end failed', { agreementId: item.id, error: e instanceof Error ? e.message : String(e) });
          }
        }
        cursor = page.cursor;
      } while (cursor);
    }
  }
  return report;
}

/** One agreement at its cycle end; returns what happened (undefined: nothing to do). */
export async function endCycle(agreementId: string, now: Date): Promise<'handedOver' | 'renewedFree' | 'expired' | undefined> {
  const today = localDateOf(now);
  const a = await getAgreement(agreementId);
  if (!a) return undefined;
  const next = a.nextAgreementId ? await getAgreement(a.nextAgreementId) : undefined;
  const policy = policyVersion(a.regionId, a.policyVersion);
  const action = cycleEndAction(a, next, policy, today);
  const system: Actor = { kind: 'system', id: 'daily-job' };
  if (action.kind === 'none') return undefined;
  if (action.kind === 'hand_over' && next) {
    const eOld = entry(now, system, 'expired', 'active', 'expired', '服务周期届满，续约协议生效');
    const eNew = entry(now, system, 'renewed', 'scheduled', 'active', null);
    await handOverTx({
      before: a,
      after: transitioned(a, { status: 'expired', endedAt: eOld.at, endReason: 'cycle_end' }, eOld),
      next: { before: next, after: transitioned(next, { status: 'active', activatedAt: eNew.at }, eNew) },
      entryOld: eOld,
      entryNew: eNew,
    });
    return 'handedOver';
  }
  if (action.kind === 'renew_free') {
    const created = await freeSuccessor(a, action.basicOnly, action.basicOnly ? 'fall_back' : 'auto_renewal', now).catch((e: unknown) => {
      log.warn('free renewal not possible, agreement expires', { agreementId: a.id, error: e instanceof Error ? e.message : String(e) });
      return undefined;
    });
    if (created) {
      const eOld = entry(now, system, action.basicOnly ? 'fell_back_to_free' : 'auto_renewed', 'active', 'expired', action.decision.reason);
      await handOverTx({ before: a, after: transitioned(a, { status: 'expired', endedAt: eOld.at, endReason: 'cycle_end', nextAgreementId: created.id }, eOld), next: { after: created }, entryOld: eOld, entryNew: created.history[0]! });
      return 'renewedFree';
    }
  }
  const e = entry(now, system, 'expired', 'active', 'expired', action.kind === 'expire' && action.decision ? action.decision.reason : '服务周期届满');
  await releaseTx({ before: a, after: transitioned(a, { status: 'expired', endedAt: e.at, endReason: 'cycle_end' }, e), entry: e, holdsPlaces: true });
  return 'expired';
}

async function freeSuccessor(a: AgreementRecord, basicOnly: boolean, origin: AgreementOrigin, now: Date): Promise<AgreementRecord | undefined> {
  const today = localDateOf(now);
  const nextStart = addDays(a.cycleEnd, 1);
  const policy = policyFor(a.regionId, nextStart);
  const h = await loadSelection(a.accountId, selectionsOf(a, basicOnly, policy, 'free'));
  const q = quote({ members: h.selections }, policy, today);
  if (!q.ok || q.byPayer.resident > 0) return undefined;
  const draft = draftAgreement({ policy, quote: q, people: h.people, today, renewal: { previousEnd: a.cycleEnd } });
  const id = randomUUID();
  const at = now.toISOString();
  return {
    ...a,
    id,
    representativeName: h.representativeName,
    policyVersion: policy.version,
    signingKind: 'free',
    status: 'active',
    cycleStart: draft.cycle.start,
    cycleEnd: draft.cycle.end,
    members: draft.members as AgreementRecord['members'],
    totalFen: draft.totalFen,
    byPayer: draft.byPayer,
    byPayerGroup: draft.byPayerGroup,
    residentDueFen: 0,
    idempotencyKey: `${origin}-${a.id}`,
    createdAt: at,
    updatedAt: at,
    activatedAt: at,
    pendingExpiresAt: undefined,
    paidAt: undefined,
    endedAt: undefined,
    endReason: undefined,
    paidFen: 0,
    refundedFen: 0,
    payments: [],
    history: [entry(now, { kind: 'system', id: 'daily-job' }, origin === 'fall_back' ? 'fell_back_to_free' : 'auto_renewed', null, 'active', null)],
    previousAgreementId: a.id,
    nextAgreementId: undefined,
    origin,
    shard: shardOf(id, ACTIVE_SHARDS),
    version: 1,
  };
}
