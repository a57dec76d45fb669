/**
 * The local stack as `npm start -- --date 2027-03-15T09:00` runs it (infra/src/local/stack.ts): a
 * second stack of its own, on the local clock, with the scheduler of serverless.yml's schedules
 * and the local SQS between the planners and the sender. Time is moved by the clock
 * (`stack.advance`), never by sleeping; every check goes through the HTTP API.
 *
 *  1. after start the signed demo residents already have this quarter's tip (seed + start-up catch-up);
 *  2. a resident who becomes active after the quarter's push gets it within minutes (pushCatchUp), once;
 *  3. the quarter planner run by the scheduler at 00:05 on 1 Apr closes Q1 (pending → missed) and plans Q2;
 *     a Q1 job still queued at the quarter's end is not delivered late;
 *  4. yongkang (问答05): the renewal window opens one month before the cycle ends (29 Feb 2028
 *     closed, 1 Mar open), and a paid agreement not renewed falls back to free basic service
 *     through the daily cycle job — and the fall-back agreement gets the new quarter's tip.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { startLocalStack, type LocalStack } from '../infra/src/local/stack';
import { http, staffLogin, useStack } from './stack';
import { login, type Session } from './residents.fixtures';
import { arrangeTeam, household, sign, signRequest, type Household, type Team } from './agreements.fixtures';

let stack: LocalStack;
const lines: string[] = [];
let yk: Team;

beforeAll(async () => {
  stack = await startLocalStack({ start: instantOf('2027-03-15', '09:00'), log: (l) => lines.push(l) });
  useStack(stack);
  yk = await arrangeTeam(1000, 0, { regionId: 'yongkang' });
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

/** Moves the stack's clock to an Asia/Shanghai date and time, running what comes due on the way. */
async function moveTo(date: LocalDate, time: string): Promise<void> {
  const ms = instantOf(date, time).getTime() - stack.now().getTime();
  expect(ms).toBeGreaterThan(0);
  await stack.advance(ms);
}

async function tips(s: Session): Promise<{ id: string; at: string; title: string }[]> {
  const fresh = await login(s.code); // sessions expire in stack time too
  const r = await http('GET', '/me/messages?kind=tip', { token: fresh.token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.messages;
}

const quarters = (list: { id: string }[]) => list.map((m) => m.id.slice(4, 10)).sort();

/** A yongkang household of one that signs the free basic service (不收费签约: in effect on signing). */
async function signFree(): Promise<{ h: Household; agreement: any }> {
  const h = await household(1);
  const body = signRequest(yk.teamId, h.memberIds, [], { members: [{ memberId: h.memberIds[0], packageCodes: [], signingKind: 'free' }] });
  const agreement = await sign(h.token, body);
  expect(agreement.status).toBe('active');
  return { h, agreement };
}

let admin: string;
async function report(quarter: string): Promise<any> {
  admin = await staffLogin({ id: `yk-admin-${randomBytes(4).toString('hex')}`, role: 'region_admin', regionId: 'yongkang' });
  const r = await http('GET', `/reports/push-compliance?regionId=yongkang&quarter=${quarter}`, { token: admin });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const zhangwei: Session = { code: 'dev:zhangwei', token: '', accountId: '' };
const wangfang: Session = { code: 'dev:wangfang', token: '', accountId: '' };
let early: Household;

describe('npm start -- --date 2027-03-15T09:00', () => {
  it('runs every schedule once at start and the signed demo residents already have this quarter\'s tip', async () => {
    expect(stack.now().toISOString() >= '2027-03-15T01:00:00.000Z').toBe(true);
    expect(quarters(await tips(zhangwei))).toEqual(['2027Q1']);
    expect(quarters(await tips(wangfang))).toEqual(['2027Q1', '2027Q1']); // 王芳 and 刘强
    const ran = lines.filter((l) => l.includes('(start-up catch-up)')).map((l) => /\d\d:\d\d (\w+) /.exec(l)?.[1]);
    expect(ran.sort()).toEqual(['agreementsDaily', 'agreementsExpireUnpaid', 'appointmentReminders', 'appointmentSlots', 'pushCatchUp', 'pushPlanner']);
    expect(lines).toContainEqual(expect.stringMatching(/^\[schedule\] 2027-03-15 09:0\d pushPlanner .*"quarter":"2027Q1"/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[sqs\] pushSender ← \d+ messages? from jiayi-local-push: \d+ done$/));
  });

  it('a resident who becomes active after the quarter\'s push gets a catch-up tip within minutes, and only one', async () => {
    const { h, agreement } = await signFree();
    expect(await tips(h)).toEqual([]);
    await stack.advance(2 * 60_000); // the next pushCatchUp (rate(2 minutes)) comes due
    const got = await tips(h);
    expect(quarters(got)).toEqual(['2027Q1']);
    const activatedAt = (await http('GET', `/agreements/${agreement.id}`, { token: (await login(h.code)).token })).body.activatedAt as string;
    const minutes = (Date.parse(got[0]!.at) - Date.parse(activatedAt)) / 60_000;
    expect(minutes).toBeGreaterThan(0);
    expect(minutes).toBeLessThanOrEqual(3);
    expect(lines).toContainEqual(expect.stringMatching(/pushCatchUp rate\(2 minutes\) → \{.*"activations":[1-9]/));
    // Later sweeps read the marker again (overlap) and the weekly re-plan runs: still one tip.
    await stack.advance(4 * 60_000);
    await moveTo('2027-03-22', '02:01');
    expect(lines).toContainEqual(expect.stringMatching(/^\[schedule\] 2027-03-22 02:00 pushPlanner cron\(0 18 \? \* SUN \*\)/));
    expect(quarters(await tips(h))).toEqual(['2027Q1']);
    const r = await report('2027Q1');
    expect(r).toMatchObject({ phase: 'open', signedResidents: 1, residentsWithTip: 1, residentsPending: 0, residentsMissed: 0 });
    early = h;
  });

  it('the scheduler runs the quarter planner at 00:05 on 1 Apr: Q1 closes (pending becomes missed), Q2 is planned', async () => {
    await moveTo('2027-03-31', '23:50');
    for (const s of stack.sources) s.pause(); // jobs stay on the queue: what is pending can be seen
    const { h: late } = await signFree();
    await stack.advance(2 * 60_000); // the catch-up enqueues late's Q1 tip; nobody takes it yet
    expect((await stack.invoke('pushPlanner')).ok).toBe(true); // a re-plan that counts them, before the end
    expect(await report('2027Q1')).toMatchObject({ phase: 'open', signedResidents: 2, residentsWithTip: 1, residentsPending: 1, residentsMissed: 0 });

    await moveTo('2027-04-01', '00:06');
    const run = stack.scheduler!.history.find((h) => h.functionKey === 'pushPlanner' && h.scheduledFor === '2027-03-31T16:05:00.000Z');
    expect(run).toMatchObject({ ok: true, result: { quarter: '2027Q2', closed: { quarter: '2027Q1' } } });
    expect(await report('2027Q1')).toMatchObject({ phase: 'closed', lastRun: { mode: 'audit' }, signedResidents: 2, residentsWithTip: 1, residentsPending: 0, residentsMissed: 1 });

    for (const s of stack.sources) s.resume();
    await stack.settle();
    // The Q1 jobs still queued at midnight are dropped (too late for Q1); Q2 arrives once, for everyone.
    expect(quarters(await tips(late))).toEqual(['2027Q2']);
    expect(quarters(await tips(early))).toEqual(['2027Q1', '2027Q2']);
    expect(quarters(await tips(zhangwei))).toEqual(['2027Q1', '2027Q2']);
    expect(await report('2027Q1')).toMatchObject({ residentsMissed: 1 });
    expect(await report('2027Q2')).toMatchObject({ phase: 'open', signedResidents: 2, residentsPending: 0, residentsMissed: 0 });
  });

  it('yongkang: the renewal window opens a month before the end (29 Feb 2028 closed, 1 Mar open); not renewed, the daily job falls back to free basic service', async () => {
    const p = await household(1);
    const put = await http('PUT', `/me/members/${p.memberIds[0]}`, { token: p.token, body: { insuredLocally: true } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const signed = await sign(p.token, signRequest(yk.teamId, p.memberIds, [], { members: [{ memberId: p.memberIds[0], packageCodes: [], signingKind: 'paid' }] }));
    expect(signed).toMatchObject({ status: 'pending_payment', signingKind: 'paid' });
    const paid = await http('POST', `/payments/simulate/${signed.id}`, { token: p.token });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const view = async () => (await http('GET', `/agreements/${signed.id}`, { token: (await login(p.code)).token })).body;
    // 收费签约从交费登记之日起一年 (问答05): 1 Apr 2027 – 31 Mar 2028.
    expect(await view()).toMatchObject({ status: 'active', cycle: { start: '2027-04-01', end: '2028-03-31' }, actions: { renew: false } });

    await moveTo('2028-02-29', '10:00');
    expect((await view()).actions.renew).toBe(false);
    const early = await http('POST', `/agreements/${signed.id}/renew`, { token: (await login(p.code)).token, body: { idempotencyKey: `renew-${randomBytes(6).toString('hex')}` } });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('RENEWAL_WINDOW_CLOSED');
    await moveTo('2028-03-01', '10:00');
    expect((await view()).actions.renew).toBe(true);

    await moveTo('2028-04-01', '00:31'); // the daily cycle job at 00:30
    const old = await view();
    expect(old).toMatchObject({ status: 'expired' });
    const next = (await http('GET', `/agreements/${old.nextAgreementId}`, { token: (await login(p.code)).token })).body;
    expect(next).toMatchObject({ status: 'active', signingKind: 'free', cycle: { start: '2028-04-01' }, price: { residentDueFen: 0 } });
    expect(next.members[0].packages.map((x: { code: string }) => x.code)).toEqual(['YK-BASIC']);
    expect(lines).toContainEqual(expect.stringMatching(/^\[schedule\] 2028-04-01 00:30 agreementsDaily .*"renewedFree":[1-9]/));
    // The quarter push ran at 00:05, before the fall-back existed: the catch-up covers it.
    await stack.advance(2 * 60_000);
    expect(quarters(await tips(p)).filter((q) => q === '2028Q2')).toEqual(['2028Q2']);
  });
});
