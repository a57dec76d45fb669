/**
 * Payments through the HTTP API (simulated WeChat Pay v3 on the local stack): prepay order,
 * signed + encrypted notifications through POST /payments/wechat/notify, idempotency, bad
 * signatures, unpaid expiry (scheduled and lazy), and the rule for a payment after expiry
 * (docs/signing.md "Payments"): re-activate when the places are still free, otherwise refund.
 */
import { describe, expect, it } from 'vitest';
import { http, staffLogin } from './stack';
import {
  arrangeTeam,
  backdateHold,
  deliver,
  ELDERLY,
  household,
  lockOf,
  notificationFor,
  sign,
  signRequest,
  storedItems,
  teamCount,
  useStoreInProcess,
} from './agreements.fixtures';

async function paidAgreement(teamCapacity = 10) {
  const team = await arrangeTeam(teamCapacity);
  const h = await household(1, { age: 70 });
  const a = await sign(h.token, signRequest(team.teamId, h.memberIds, [ELDERLY]));
  expect(a.status).toBe('pending_payment');
  return { team, h, a };
}

describe('POST /agreements/{id}/pay and the notification', () => {
  it('creates the prepay order for residentDueFen and returns requestPayment params (simulated)', async () => {
    const { h, a } = await paidAgreement();
    const r = await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ agreementId: a.id, amountFen: 10000, outTradeNo: a.id.replace(/-/g, '') });
    expect(r.body.requestPayment).toMatchObject({ signType: 'RSA', simulated: true });
    expect(r.body.requestPayment.package).toMatch(/^prepay_id=/);
    const again = await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    expect(again.body.outTradeNo).toBe(r.body.outTradeNo);
    const payments = (await storedItems(a.id)).filter((i) => String(i.sk).startsWith('PAY#'));
    expect(payments).toHaveLength(1);
  });

  it('a notification delivered 5 times (also concurrently) → one payment, active once, one receivable', async () => {
    const { team, h, a } = await paidAgreement();
    await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    const n = notificationFor(a.id, 10000);
    const first = await Promise.all([deliver(n), deliver(n), deliver(n)]);
    const later = [await deliver(n), await deliver(n)];
    for (const r of [...first, ...later]) expect(r.status).toBe(200);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(g.body.status).toBe('active');
    expect(g.body.payments).toHaveLength(1);
    expect(g.body.payments[0]).toMatchObject({ status: 'paid', amountFen: 10000, refundedFen: 0 });
    expect(g.body.history.filter((e: any) => e.action === 'paid')).toHaveLength(1);
    expect(await teamCount(team.teamId)).toBe(1);
    const admin = await staffLogin({ id: `admin-${team.institutionId}`, role: 'institution_admin', regionId: 'liyang-2019', institutionId: team.institutionId });
    const month = g.body.activatedAt.slice(0, 7);
    const rec = await http('GET', `/institutions/${team.institutionId}/receivables?month=${month}`, { token: admin });
    expect(rec.status).toBe(200);
    expect(rec.body.items).toHaveLength(1);
    expect(rec.body.items[0]).toMatchObject({ agreementId: a.id, residentPaidFen: 10000 });
    // liyang 65+ package, not insured locally: public health 50 元 + basic package 8 元 remain receivable.
    expect(rec.body.totals.byPayer.public_health).toBe(5800);
    expect(rec.body.totals.receivableFen).toBe(5800);
  });

  it('an out-of-order CLOSED after SUCCESS changes nothing', async () => {
    const { h, a } = await paidAgreement();
    await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    expect((await deliver(notificationFor(a.id, 10000))).status).toBe(200);
    expect((await deliver(notificationFor(a.id, 10000, { tradeState: 'CLOSED' }))).status).toBe(200);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(g.body.status).toBe('active');
    expect(g.body.payments[0].status).toBe('paid');
  });

  it('rejects a bad signature with 401 and changes nothing', async () => {
    const { h, a } = await paidAgreement();
    const n = notificationFor(a.id, 10000);
    const forged = { ...n, headers: { ...n.headers, 'Wechatpay-Signature': Buffer.from('forged').toString('base64') } };
    const r = await deliver(forged);
    expect(r.status).toBe(401);
    const tampered = await deliver({ ...n, rawBody: n.rawBody.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ') });
    expect(tampered.status).toBe(401);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(g.body.status).toBe('pending_payment');
  });

  it('a notification with another amount than due is recorded and refunded automatically', async () => {
    const { h, a } = await paidAgreement();
    expect((await deliver(notificationFor(a.id, 1))).status).toBe(200);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(g.body.status).toBe('pending_payment');
    expect(g.body.refunds).toHaveLength(1);
    expect(g.body.refunds[0]).toMatchObject({ amountFen: 1, status: 'succeeded' });
    expect(g.body.payments[0]).toMatchObject({ status: 'refunded', refundedFen: 1 });
  });

  it('POST /payments/simulate/{id} pushes a simulated notification through the same handler', async () => {
    const { h, a } = await paidAgreement();
    await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    const r = await http('POST', `/payments/simulate/${a.id}`, { token: h.token });
    expect(r.status).toBe(200);
    expect(r.body.outcome).toBe('activate');
    expect((await http('GET', `/agreements/${a.id}`, { token: h.token })).body.status).toBe('active');
  });
});

describe('unpaid expiry', () => {
  it('the scheduled sweep cancels an unpaid agreement whose hold ran out and releases its places in one transaction', async () => {
    await useStoreInProcess();
    const { expireUnpaidSweep } = await import('../functions/src/agreements/service');
    const { team, h, a } = await paidAgreement();
    expect(await teamCount(team.teamId)).toBe(1);
    await backdateHold(a.id);
    expect(await expireUnpaidSweep(new Date())).toBeGreaterThanOrEqual(1);
    const stored = (await storedItems(a.id)).find((i) => i.sk === 'AGR')!;
    expect(stored.status).toBe('cancelled');
    expect(stored.endReason).toBe('unpaid');
    expect(await teamCount(team.teamId)).toBe(0);
    expect(await lockOf(stored.members[0].idHash)).toBeUndefined();
    // The person may sign again at once.
    await sign(h.token, signRequest(team.teamId, h.memberIds));
  });

  it('expires lazily when read; cancelling an unpaid agreement releases the places at once', async () => {
    const { team, h, a } = await paidAgreement();
    await backdateHold(a.id);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(g.body.status).toBe('cancelled');
    expect(await teamCount(team.teamId)).toBe(0);
    const pay = await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    expect(pay.status).toBe(409);

    const b = await sign(h.token, signRequest(team.teamId, h.memberIds, [ELDERLY]));
    const c = await http('POST', `/agreements/${b.id}/cancel`, { token: h.token });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    expect(await teamCount(team.teamId)).toBe(0);
  });

  it('a resident’s own cancellation is recorded as theirs, not as an expired payment', async () => {
    const { h, a } = await paidAgreement();
    const c = await http('POST', `/agreements/${a.id}/cancel`, { token: h.token });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'cancelled' });
    expect(c.body.history.map((e: any) => e.action)).toEqual(['signed', 'cancelled']);
    expect(c.body.history.at(-1)).toMatchObject({ actionLabel: '居民取消签约', reason: '居民取消签约', from: 'pending_payment', to: 'cancelled', by: { kind: 'resident', id: h.accountId } });
    const stored = (await storedItems(a.id)).find((i) => i.sk === 'AGR')!;
    expect(stored.endReason).toBe('cancelled_by_resident');
  });

  it('a payment after expiry re-activates the agreement when the places are still free (one transaction)', async () => {
    const { team, h, a } = await paidAgreement();
    await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    await backdateHold(a.id);
    expect((await http('GET', `/agreements/${a.id}`, { token: h.token })).body.status).toBe('cancelled');
    expect(await teamCount(team.teamId)).toBe(0);
    expect((await deliver(notificationFor(a.id, 10000))).status).toBe(200);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(g.body.status).toBe('active');
    expect(g.body.history.map((e: any) => e.action)).toEqual(['signed', 'payment_expired', 'reactivated']);
    expect(await teamCount(team.teamId)).toBe(1);
    const stored = (await storedItems(a.id)).find((i) => i.sk === 'AGR')!;
    expect((await lockOf(stored.members[0].idHash))?.agreementId).toBe(a.id);
  });

  it('a payment after expiry whose place was taken meanwhile is recorded and refunded automatically', async () => {
    const { team, h, a } = await paidAgreement(1);
    await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    await backdateHold(a.id);
    expect((await http('GET', `/agreements/${a.id}`, { token: h.token })).body.status).toBe('cancelled');
    const other = await household(1);
    await sign(other.token, signRequest(team.teamId, other.memberIds));
    expect(await teamCount(team.teamId)).toBe(1);
    expect((await deliver(notificationFor(a.id, 10000))).status).toBe(200);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(g.body.status).toBe('cancelled');
    expect(g.body.payments[0]).toMatchObject({ status: 'refunded', refundedFen: 10000 });
    expect(g.body.refunds[0]).toMatchObject({ amountFen: 10000, status: 'succeeded' });
    expect(g.body.history.map((e: any) => e.action)).toContain('late_payment_refunded');
    expect(await teamCount(team.teamId)).toBe(1);
    // Delivered again: nothing changes twice.
    expect((await deliver(notificationFor(a.id, 10000))).status).toBe(200);
    const again = (await storedItems(a.id)).filter((i) => String(i.sk).startsWith('REFUND#'));
    expect(again).toHaveLength(1);
  });

  it('a payment racing the expiry: exactly one of the two transitions wins and the counters stay exact', async () => {
    await useStoreInProcess();
    const { expireUnpaidSweep } = await import('../functions/src/agreements/service');
    const { team, h, a } = await paidAgreement();
    await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
    await backdateHold(a.id);
    const [, r] = await Promise.all([expireUnpaidSweep(new Date()), deliver(notificationFor(a.id, 10000))]);
    expect(r.status).toBe(200);
    const g = await http('GET', `/agreements/${a.id}`, { token: h.token });
    // Either the payment came first (active) or the expiry did and the late payment re-activated it.
    expect(g.body.status).toBe('active');
    expect(g.body.payments[0].status).toBe('paid');
    expect(await teamCount(team.teamId)).toBe(1);
  });
});
