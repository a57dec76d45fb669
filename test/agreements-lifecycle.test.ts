/**
 * Lifecycle through the HTTP API and the scheduled jobs (called in-process with an injected
 * date): change of team, termination with refund preview from the fulfilment ledger, renewal,
 * cycle end (hand-over, auto-renewal, fall-back to free basic service — liyang-2019 §二(三)2).
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { http, storeClient, tableName } from './stack';
import { keys } from '../functions/src/db/keys';
import { arrangeTeam, BASIC, deliver, ELDERLY, household, lockOf, notificationFor, sign, signRequest, storedItems, teamCount, useStoreInProcess } from './agreements.fixtures';

async function paidActive() {
  const team = await arrangeTeam(10);
  const h = await household(1, { age: 70 });
  const a = await sign(h.token, signRequest(team.teamId, h.memberIds, [ELDERLY]));
  await http('POST', `/agreements/${a.id}/pay`, { token: h.token });
  expect((await deliver(notificationFor(a.id, a.price.residentDueFen))).status).toBe(200);
  return { team, h, a };
}

async function ledger(agreementId: string, memberId: string, itemCode: string, quantity: number, voided = false) {
  const at = new Date().toISOString();
  const entryId = randomUUID();
  await storeClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.fulfilment(agreementId, at, entryId), type: 'fulfilment', agreementId, entryId, memberId, packageCode: ELDERLY, itemCode, quantity, at, by: 'staff-1', ...(voided && { voided: true }) },
    }),
  );
}

describe('change of team', () => {
  it('moves the agreement to another team: reason required, old place released in the same transaction', async () => {
    const t1 = await arrangeTeam(10);
    const t2 = await arrangeTeam(10);
    const h = await household(2);
    const a = await sign(h.token, signRequest(t1.teamId, h.memberIds));
    const missing = await http('POST', `/agreements/${a.id}/change-team`, { token: h.token, body: { teamId: t2.teamId } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0].path).toBe('reason');
    const r = await http('POST', `/agreements/${a.id}/change-team`, { token: h.token, body: { teamId: t2.teamId, reason: '搬迁至新住址' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'active', previousAgreementId: a.id, team: { id: t2.teamId } });
    expect(r.body.cycle).toEqual(a.cycle);
    expect([await teamCount(t1.teamId), await teamCount(t2.teamId)]).toEqual([0, 2]);
    const old = await http('GET', `/agreements/${a.id}`, { token: h.token });
    expect(old.body).toMatchObject({ status: 'changed', nextAgreementId: r.body.id });
    expect(old.body.history.at(-1)).toMatchObject({ action: 'team_changed', reason: '搬迁至新住址', by: { kind: 'resident', id: h.accountId } });
    const stored = (await storedItems(r.body.id)).find((i) => i.sk === 'AGR')!;
    for (const m of stored.members) expect((await lockOf(m.idHash))?.agreementId).toBe(r.body.id);
    expect((await storedItems(a.id)).filter((i) => String(i.sk).startsWith('AUDIT#')).length).toBeGreaterThanOrEqual(2);
  });

  it('capacity rules apply to the new team (409 TEAM_FULL, nothing moves)', async () => {
    const t1 = await arrangeTeam(10);
    const t2 = await arrangeTeam(1, 1);
    const h = await household(1);
    const a = await sign(h.token, signRequest(t1.teamId, h.memberIds));
    const r = await http('POST', `/agreements/${a.id}/change-team`, { token: h.token, body: { teamId: t2.teamId, reason: '就近就医' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('TEAM_FULL');
    expect([await teamCount(t1.teamId), await teamCount(t2.teamId)]).toEqual([1, 1]);
  });
});

describe('termination', () => {
  it('shows the refund before confirming; the refund deducts delivered services (voided entries do not count) and is sent', async () => {
    const { team, h, a } = await paidActive();
    const before = await http('GET', `/agreements/${a.id}/refund-preview?reason=voluntary`, { token: h.token });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ allowed: true, residentPaidFen: 10000, refundFen: 10000 });
    await ledger(a.id, h.memberIds[0]!, '160000002-c/2', 1);
    await ledger(a.id, h.memberIds[0]!, '160000002-c/3', 1, true);
    const preview = await http('GET', `/agreements/${a.id}/refund-preview?reason=voluntary`, { token: h.token });
    expect(preview.body.refundFen).toBeLessThan(10000);
    expect(preview.body.refundFen).toBeGreaterThan(0);
    const stale = await http('POST', `/agreements/${a.id}/terminate`, { token: h.token, body: { reason: 'voluntary', expectedRefundFen: 10000 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('REFUND_CHANGED');
    const r = await http('POST', `/agreements/${a.id}/terminate`, { token: h.token, body: { reason: 'voluntary', note: '外出务工', expectedRefundFen: preview.body.refundFen } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('terminated');
    expect(r.body.refunds[0]).toMatchObject({ amountFen: preview.body.refundFen, status: 'succeeded' });
    expect(r.body.history.at(-2)).toMatchObject({ action: 'terminated', reason: '主动解约：外出务工' });
    expect(await teamCount(team.teamId)).toBe(0);
    const again = await http('POST', `/agreements/${a.id}/terminate`, { token: h.token, body: { reason: 'voluntary' } });
    expect(again.status).toBe(409);
  });

  it('a bad reason code is a 400 on field reason with a Chinese message', async () => {
    const { h, a } = await paidActive();
    const r = await http('POST', `/agreements/${a.id}/terminate`, { token: h.token, body: { reason: 'bored' } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0]).toEqual({ path: 'reason', message: '解约原因无效' });
  });
});

describe('renewal and cycle end (jobs in-process, injected dates)', () => {
  it('renews a paid agreement in the Q4 window, pays, and the renewal takes over at the cycle end', async () => {
    await useStoreInProcess();
    const svc = await import('../functions/src/agreements/service');
    const repo = await import('../functions/src/db/agreements.repo');
    const { team, h, a } = await paidActive();
    const current = (await repo.getAgreement(a.id))!;
    const outside = new Date(`${current.cycleEnd.slice(0, 4)}-06-01T02:00:00Z`);
    await expect(svc.renewAgreement(current, { idempotencyKey: `r-${randomUUID()}` }, outside, { kind: 'resident', id: h.accountId })).rejects.toMatchObject({ code: 'RENEWAL_WINDOW_CLOSED' });
    const inWindow = new Date(`${current.cycleEnd.slice(0, 4)}-11-20T02:00:00Z`);
    const key = `r-${randomUUID()}`;
    const r = await svc.renewAgreement(current, { idempotencyKey: key }, inWindow, { kind: 'resident', id: h.accountId });
    expect(r.created).toBe(true);
    expect(r.agreement).toMatchObject({ status: 'pending_payment', origin: 'renewal', previousAgreementId: a.id });
    expect(r.agreement.cycleStart > current.cycleEnd).toBe(true);
    const replay = await svc.renewAgreement((await repo.getAgreement(a.id))!, { idempotencyKey: key }, inWindow, { kind: 'resident', id: h.accountId });
    expect(replay).toMatchObject({ created: false, agreement: { id: r.agreement.id } });
    expect((await deliver(notificationFor(r.agreement.id, r.agreement.residentDueFen))).status).toBe(200);
    expect((await repo.getAgreement(r.agreement.id))!.status).toBe('scheduled');
    expect(await teamCount(team.teamId)).toBe(1);
    const afterEnd = new Date(`${r.agreement.cycleStart}T02:00:00Z`);
    expect(await svc.endCycle(a.id, afterEnd)).toBe('handedOver');
    expect((await repo.getAgreement(a.id))!.status).toBe('expired');
    const next = (await repo.getAgreement(r.agreement.id))!;
    expect(next.status).toBe('active');
    expect((await lockOf(next.members[0]!.idHash))?.agreementId).toBe(next.id);
    expect(await teamCount(team.teamId)).toBe(1);
  });

  it('a paid agreement not renewed falls back to free basic service (liyang paid: fall_back_to_free)', async () => {
    await useStoreInProcess();
    const svc = await import('../functions/src/agreements/service');
    const repo = await import('../functions/src/db/agreements.repo');
    const { team, a } = await paidActive();
    const current = (await repo.getAgreement(a.id))!;
    const afterEnd = new Date(`${current.cycleEnd.slice(0, 4)}-12-31T18:00:00Z`); // 2 Jan, Asia/Shanghai
    expect(await svc.endCycle(a.id, afterEnd)).toBe('renewedFree');
    const old = (await repo.getAgreement(a.id))!;
    expect(old.status).toBe('expired');
    const next = (await repo.getAgreement(old.nextAgreementId!))!;
    expect(next).toMatchObject({ status: 'active', signingKind: 'free', origin: 'fall_back', residentDueFen: 0 });
    expect(next.members[0]!.packages.map((p) => p.code)).toEqual([BASIC]);
    expect(await teamCount(team.teamId)).toBe(1);
  });

  it('a free agreement auto-renews at its cycle end (liyang free: auto_renew)', async () => {
    await useStoreInProcess();
    const svc = await import('../functions/src/agreements/service');
    const repo = await import('../functions/src/db/agreements.repo');
    const team = await arrangeTeam(10);
    const h = await household(1);
    const a = await sign(h.token, signRequest(team.teamId, h.memberIds));
    const before = (await repo.getAgreement(a.id))!;
    expect(await svc.endCycle(a.id, new Date(`${before.cycleEnd.slice(0, 4)}-06-01T00:00:00Z`))).toBeUndefined();
    expect(await svc.endCycle(a.id, new Date(`${before.cycleEnd.slice(0, 4)}-12-31T18:00:00Z`))).toBe('renewedFree');
    const old = (await repo.getAgreement(a.id))!;
    expect((await repo.getAgreement(old.nextAgreementId!))!).toMatchObject({ status: 'active', origin: 'auto_renewal' });
    expect(await teamCount(team.teamId)).toBe(1);
  });
});

describe('reads for the other features', () => {
  it('activeAgreementForMember, listAgreementsForTeam and listActiveAgreementsPage see an active agreement', async () => {
    await useStoreInProcess();
    const repo = await import('../functions/src/db/agreements.repo');
    const team = await arrangeTeam(10);
    const h = await household(2);
    const a = await sign(h.token, signRequest(team.teamId, h.memberIds));
    expect((await repo.activeAgreementForMember(h.accountId, h.memberIds[1]!))?.id).toBe(a.id);
    expect(await repo.activeAgreementForMember(h.accountId, 'nobody')).toBeUndefined();
    const page = await repo.listAgreementsForTeam(team.teamId, { status: 'active' });
    expect(page.items.map((x) => x.id)).toEqual([a.id]);
    const stored = (await repo.getAgreement(a.id))!;
    let found = false;
    let cursor: string | undefined;
    do {
      const p = await repo.listActiveAgreementsPage({ regionId: stored.regionId, shard: stored.shard, cursor, limit: 100 });
      found ||= p.items.some((x) => x.id === a.id);
      cursor = p.cursor;
    } while (cursor && !found);
    expect(found).toBe(true);
  });
});
