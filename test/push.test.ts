/**
 * Health-knowledge push on the local stack (issue 7; yongkang 基本服务包 第4项 健康知识推送,
 * 每季度不少于1条): exactly once per (resident, quarter), catch-up for mid-quarter signers,
 * the inbox as the floor under a failing external channel, credits spent once, and the
 * compliance report computed from counters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { http, staffLogin, storeClient, tableName } from './stack';
import { grant, login, resident } from './residents.fixtures';
import { arrangeAgreement, arrangeRegion, harness, QUARTER, tipRecord, useStackStore, type Region } from './push.fixtures';
import { getSubscribeCredit, spendSubscribeCredit } from '../functions/src/db/subscriptions.repo';
import { putTip } from '../functions/src/db/tips.repo';
import { keys } from '../functions/src/db/keys';

beforeAll(() => useStackStore());

async function delivery(memberKey: string, quarter = QUARTER) {
  return (await storeClient().send(new GetCommand({ TableName: tableName(), Key: keys.pushDelivery(quarter, memberKey) }))).Item;
}

async function tipsInInbox(token: string) {
  const r = await http('GET', '/me/messages?kind=tip', { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.messages as any[];
}

async function report(region: Region, token?: string) {
  const t = token ?? (await staffLogin({ id: `ra-${region.regionId}-${Math.random().toString(36).slice(2, 8)}`, role: 'region_admin', regionId: region.regionId }));
  const r = await http('GET', `/reports/push-compliance?regionId=${region.regionId}&quarter=${QUARTER}`, { token: t });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function subscribe(token: string, templateId: string, accepted = true, source = 'button') {
  const r = await http('POST', '/me/subscriptions', { token, body: { templateId, accepted, source } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe('planning twice sends nothing twice', () => {
  it('one delivery per member per quarter: re-planning and redelivered jobs add nothing', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const household = await login();
    const single = await login();
    await subscribe(household.token, region.templateId);
    await subscribe(household.token, region.templateId);
    await subscribe(household.token, region.templateId);
    const a = await arrangeAgreement(region, household.accountId, [{ name: '王芳' }, { name: '刘小宝', ageGroup: 'child_0_6' }]);
    const b = await arrangeAgreement(region, single.accountId, [{ name: '张伟', ageGroup: 'elderly_65', packages: ['BASIC', 'BP-PKG'] }]);

    const first = await h.plan(region, '2026-10-01');
    expect(first.plan.totals).toMatchObject({ signed: 3, alreadyCovered: 0, enqueued: 3, noTip: 0 });
    expect(first.outcomes.filter((o) => o.kind === 'delivered')).toHaveLength(3);
    // The inbox is the representative's: one tip per member.
    expect(await tipsInInbox(household.token)).toHaveLength(2);
    const singleTips = await tipsInInbox(single.token);
    expect(singleTips).toHaveLength(1);
    expect(singleTips[0].title).toBe('高血压：坚持服药'); // the package-targeted tip beats the general one
    expect(h.subscribe.sentTo(`dev_${household.code.slice(4)}`)).toHaveLength(2);

    const second = await h.plan(region, '2026-10-08');
    expect(second.plan.totals).toMatchObject({ signed: 3, alreadyCovered: 3, enqueued: 0 });
    // Every job of the first run delivered again (SQS redelivery): all duplicates.
    const again = await h.redeliver(h.enqueued);
    expect(again.map((o) => o.kind)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    expect(await tipsInInbox(household.token)).toHaveLength(2);
    expect(await tipsInInbox(single.token)).toHaveLength(1);
    expect(h.subscribe.sent).toHaveLength(2);
    for (const k of [...a.memberKeys, ...b.memberKeys]) expect((await delivery(k))?.runIds.size).toBe(1);
    // Three credits collected, two spent (one per member delivered over WeChat).
    expect((await getSubscribeCredit(household.accountId, region.templateId))?.credits).toBe(1);
  });

  it('jobs of two overlapping runs deliver once and count the resident covered for both runs', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const s = await login();
    const a = await arrangeAgreement(region, s.accountId, [{ name: '李娜' }]);
    const { planQuarter } = await import('../functions/src/push/planner');
    const { InMemoryPushQueue } = await import('../functions/src/push/queue');
    const q1 = new InMemoryPushQueue();
    const q2 = new InMemoryPushQueue();
    // Run 2 starts before run 1's job was consumed: both enqueue the resident.
    await planQuarter({ quarter: QUARTER, today: '2026-10-01', now: new Date(), queue: q1, regions: [region.regionId] });
    await planQuarter({ quarter: QUARTER, today: '2026-10-01', now: new Date(), queue: q2, regions: [region.regionId] });
    const outcomes = [...(await h.redeliver(q1.jobs)), ...(await h.redeliver(q2.jobs)), ...(await h.redeliver(q2.jobs))];
    expect(outcomes.map((o) => o.kind)).toEqual(['delivered', 'duplicate', 'duplicate']);
    expect(await tipsInInbox(s.token)).toHaveLength(1);
    expect([...(await delivery(a.memberKeys[0]!))!.runIds].sort()).toEqual([q1.jobs[0]!.runId, q2.jobs[0]!.runId].sort());
    const r = await report(region);
    expect(r).toMatchObject({ signedResidents: 1, residentsWithTip: 1, residentsWithout: 0, deliveredThisQuarter: 1 });
  });
});

describe('catch-up', () => {
  it('a resident who signs mid-quarter is covered by the weekly catch-up run', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const early = await login();
    await arrangeAgreement(region, early.accountId, [{ name: '赵一' }]);
    await h.plan(region, '2026-10-01');

    const late = await login();
    await arrangeAgreement(region, late.accountId, [{ name: '钱二' }], { cycleStart: '2026-11-16', cycleEnd: '2027-11-15' });
    // Signed, but the report is as of the last run: the catch-up has not seen them yet.
    expect(await report(region)).toMatchObject({ signedResidents: 1, residentsWithout: 0 });
    // A run dated before the cycle start does not count them yet.
    expect((await h.plan(region, '2026-11-09')).plan.totals).toMatchObject({ signed: 1, enqueued: 0 });

    const catchUp = await h.plan(region, '2026-11-16');
    expect(catchUp.plan.totals).toMatchObject({ signed: 2, alreadyCovered: 1, enqueued: 1 });
    expect(await tipsInInbox(late.token)).toHaveLength(1);
    expect(await report(region)).toMatchObject({ signedResidents: 2, residentsWithTip: 2, residentsWithout: 0, deliveredThisQuarter: 2 });
  });

  it('next quarter the resident gets a tip they have not received yet', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const s = await login();
    const a = await arrangeAgreement(region, s.accountId, [{ name: '孙三', packages: ['BASIC', 'BP-PKG'] }], { cycleStart: '2026-07-01', cycleEnd: '2027-06-30' });
    await h.plan(region, '2026-09-01', '2026Q3');
    await h.plan(region, '2026-10-01', '2026Q4');
    const q3 = await delivery(a.memberKeys[0]!, '2026Q3');
    const q4 = await delivery(a.memberKeys[0]!);
    expect(q3?.tipId).toMatch(/-bp$/);
    expect(q4?.tipId).toMatch(/-general$/);
  });
});

describe('channels: the inbox is the floor, the external channel the notification on top', () => {
  it('a failing WeChat send leaves the tip in the inbox and the failure recorded', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const s = await login();
    const openid = `dev_${s.code.slice(4)}`;
    await subscribe(s.token, region.templateId);
    h.subscribe.failFor(openid, 'user_refused');
    const a = await arrangeAgreement(region, s.accountId, [{ name: '周四' }]);
    const { outcomes } = await h.plan(region, '2026-10-01');
    expect(outcomes).toEqual([{ kind: 'delivered', channel: 'wechat', external: 'failed', reason: 'user_refused' }]);
    expect(h.subscribe.attempts).toHaveLength(1);
    expect(h.subscribe.sent).toHaveLength(0);

    const inbox = await tipsInInbox(s.token);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ kind: 'tip', read: false, title: '少盐少油，吃得更健康' });
    expect(await delivery(a.memberKeys[0]!)).toMatchObject({ channel: 'wechat', externalStatus: 'failed', failureReason: 'user_refused' });
    // WeChat holds no subscription (43101): the ledger is emptied rather than trusted.
    expect((await getSubscribeCredit(s.accountId, region.templateId))?.credits).toBe(0);

    const r = await report(region);
    expect(r).toMatchObject({ residentsWithTip: 1, residentsWithout: 0, byChannel: { inbox: 1, wechat: { sent: 0, failed: 1 } } });
    expect(r.failures).toEqual([{ channel: 'wechat', reason: 'user_refused', count: 1 }]);
  });

  it('a retryable WeChat failure gives the credit back', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const s = await login();
    await subscribe(s.token, region.templateId);
    h.subscribe.failFor(`dev_${s.code.slice(4)}`, 'upstream');
    await arrangeAgreement(region, s.accountId, [{ name: '吴五' }]);
    await h.plan(region, '2026-10-01');
    expect((await getSubscribeCredit(s.accountId, region.templateId))?.credits).toBe(1);
    expect(await tipsInInbox(s.token)).toHaveLength(1);
  });

  it('SMS when the holder consented to SMS and holds no WeChat credit; inbox only without consent', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const withSms = await resident({ name: '郑六' });
    await grant(withSms, 'sms');
    const without = await login();
    await arrangeAgreement(region, withSms.accountId, [{ memberId: withSms.selfMemberId, name: '郑六' }]);
    await arrangeAgreement(region, without.accountId, [{ name: '冯七' }]);
    const { outcomes } = await h.plan(region, '2026-10-01');
    expect(outcomes.map((o) => (o.kind === 'delivered' ? o.channel : o.kind)).sort()).toEqual(['inbox', 'sms']);
    expect(h.sms.sent).toEqual([{ mobile: '13812345678', templateCode: 'HEALTH_TIP', params: { name: '郑六', title: '少盐少油，吃得更健康' }, requestId: expect.stringMatching(/^tip-2026Q4-/) }]);
    expect(h.subscribe.attempts).toHaveLength(0);
    expect(await report(region)).toMatchObject({ byChannel: { inbox: 2, sms: { sent: 1, failed: 0 }, wechat: { sent: 0, failed: 0 } } });
  });

  it('a long-term template needs no credit', async () => {
    const region = await arrangeRegion({ longTerm: true });
    const h = harness();
    const s = await login();
    await arrangeAgreement(region, s.accountId, [{ name: '陈八' }, { name: '陈小九', ageGroup: 'child_0_6' }]);
    await h.plan(region, '2026-10-01');
    expect(h.subscribe.sent).toHaveLength(2);
    expect(h.subscribe.sent[0]).toMatchObject({ templateId: region.templateId, page: expect.stringMatching(/^health\/pages\/detail\/index\?id=tip-2026Q4-/) });
    expect(await getSubscribeCredit(s.accountId, region.templateId)).toBeUndefined();
  });

  it('a redelivered job whose external send had not started resumes it once; one caught mid-call is not sent again', async () => {
    const region = await arrangeRegion({ longTerm: true });
    const h = harness();
    const s = await login();
    const a = await arrangeAgreement(region, s.accountId, [{ name: '褚十' }, { name: '卫十一' }]);
    const { planQuarter } = await import('../functions/src/push/planner');
    const { InMemoryPushQueue } = await import('../functions/src/push/queue');
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const q = new InMemoryPushQueue();
    await planQuarter({ quarter: QUARTER, today: '2026-10-01', now: new Date(), queue: q, regions: [region.regionId] });
    await h.redeliver(q.jobs);
    expect(h.subscribe.sent).toHaveLength(2);
    // Simulate crashes: one record left 'pending' (before the call), one 'sending' (during it).
    const [k1, k2] = a.memberKeys as [string, string];
    const setStatus = (k: string, st: string) =>
      storeClient().send(new UpdateCommand({ TableName: tableName(), Key: keys.pushDelivery(QUARTER, k), UpdateExpression: 'SET externalStatus = :s', ExpressionAttributeValues: { ':s': st } }));
    await setStatus(k1, 'pending');
    await setStatus(k2, 'sending');
    const outcomes = await h.redeliver(q.jobs);
    expect(h.subscribe.sent).toHaveLength(3);
    expect((await delivery(k1))?.externalStatus).toBe('sent');
    expect(await delivery(k2)).toMatchObject({ externalStatus: 'failed', failureReason: 'unknown_outcome' });
    expect(outcomes.filter((o) => o.kind === 'delivered')).toHaveLength(2);
    expect(await tipsInInbox(s.token)).toHaveLength(2);
  });
});

describe('subscribe credits', () => {
  it('are spent exactly once, also when spends race', async () => {
    const s = await login();
    const tpl = `tpl-race-${Math.random().toString(36).slice(2, 8)}`;
    expect((await subscribe(s.token, tpl)).credits).toBe(1);
    expect((await subscribe(s.token, tpl, false)).credits).toBe(1);
    expect((await subscribe(s.token, tpl, true, 'after_sign')).credits).toBe(2);
    const spends = await Promise.all(Array.from({ length: 6 }, () => spendSubscribeCredit(s.accountId, tpl)));
    expect(spends.filter(Boolean)).toHaveLength(2);
    expect(await getSubscribeCredit(s.accountId, tpl)).toMatchObject({ credits: 0, accepted: 2, refused: 1, spent: 2, lastSource: 'after_sign' });
    expect(await spendSubscribeCredit(s.accountId, tpl)).toBe(false);
  });

  it('a household with fewer credits than members: WeChat until the credits run out, then the inbox', async () => {
    const region = await arrangeRegion();
    const h = harness();
    const s = await login();
    await subscribe(s.token, region.templateId);
    await arrangeAgreement(region, s.accountId, [{ name: '蒋一' }, { name: '蒋二' }, { name: '蒋三' }]);
    const { outcomes } = await h.plan(region, '2026-10-01');
    const channels = outcomes.map((o) => (o.kind === 'delivered' ? o.channel : o.kind)).sort();
    expect(channels).toEqual(['inbox', 'inbox', 'wechat']);
    expect(h.subscribe.sent).toHaveLength(1);
    expect((await getSubscribeCredit(s.accountId, region.templateId))?.credits).toBe(0);
  });

  it('POST /me/subscriptions validates with Chinese field messages and needs a resident', async () => {
    const s = await login();
    const bad = await http('POST', '/me/subscriptions', { token: s.token, body: { templateId: 'a b', accepted: 'yes', source: 'nowhere' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path).sort()).toEqual(['accepted', 'source', 'templateId']);
    for (const f of bad.body.error.fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await http('POST', '/me/subscriptions', { body: { templateId: 't', accepted: true, source: 'button' } })).status).toBe(401);
    const state = await http('GET', '/me/subscriptions', { token: s.token });
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ tipTemplateId: expect.any(String), subscriptions: [] });
  });
});

describe('GET /reports/push-compliance', () => {
  it('counts signed residents, residents with and without a tip, per team, scoped to the caller', async () => {
    const region = await arrangeRegion({ tips: [{ title: '只给65岁以上', ageGroups: ['elderly_65'] }] });
    const other = { ...region, institutionId: `${region.institutionId}-b`, teamId: `${region.teamId}-b` };
    const h = harness();
    const s1 = await login();
    const s2 = await login();
    await arrangeAgreement(region, s1.accountId, [{ name: '老人', ageGroup: 'elderly_65' }, { name: '年轻人' }]);
    await arrangeAgreement(other, s2.accountId, [{ name: '老人二', ageGroup: 'elderly_65' }]);
    await h.plan(region, '2026-10-01');

    const r = await report(region);
    // The library has nothing for the adult: the report shows the gap instead of hiding it.
    expect(r).toMatchObject({ signedResidents: 3, residentsWithTip: 2, residentsWithout: 1, noMatchingTip: 1, deliveredThisQuarter: 2, institutionId: null });
    expect(r.teams).toHaveLength(2);

    // Staff add a general tip; the weekly catch-up closes the gap.
    await putTip(tipRecord(region.regionId, { title: '通用知识' }));
    await h.plan(region, '2026-10-08');
    expect(await report(region)).toMatchObject({ signedResidents: 3, residentsWithTip: 3, residentsWithout: 0, deliveredThisQuarter: 3 });

    const instAdmin = await staffLogin({ id: `ia-${region.regionId}`, role: 'institution_admin', regionId: region.regionId, institutionId: other.institutionId });
    const scoped = await report(region, instAdmin);
    expect(scoped).toMatchObject({ institutionId: other.institutionId, signedResidents: 1, residentsWithTip: 1, deliveredThisQuarter: 1 });
    expect(scoped.teams.map((t: any) => t.teamId)).toEqual([other.teamId]);
  });

  it('refuses other regions, team staff and bad input (Chinese messages)', async () => {
    const region = await arrangeRegion();
    const admin = await staffLogin({ id: `ra2-${region.regionId}`, role: 'region_admin', regionId: region.regionId });
    const doctor = await staffLogin({ id: `doc-${region.regionId}`, role: 'team_doctor', regionId: region.regionId, institutionId: region.institutionId, teamId: region.teamId });
    expect((await http('GET', `/reports/push-compliance?regionId=liyang-2019&quarter=${QUARTER}`, { token: admin })).status).toBe(403);
    expect((await http('GET', `/reports/push-compliance?regionId=${region.regionId}&quarter=${QUARTER}`, { token: doctor })).status).toBe(403);
    const bad = await http('GET', `/reports/push-compliance?regionId=${region.regionId}&quarter=2026-Q5`, { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'query.quarter', message: '季度格式应为如2026Q4' }]);
    const resident = await login();
    expect((await http('GET', `/reports/push-compliance?regionId=${region.regionId}&quarter=${QUARTER}`, { token: resident.token })).status).toBe(403);
    // Before any run: zeros, no run.
    expect(await report(region, admin)).toMatchObject({ lastRun: null, signedResidents: 0, residentsWithout: 0 });
  });
});
