/**
 * 健康知识 on the H5 build (issue 7): a signed resident's quarter tip is planned and delivered
 * (planner + sender in-process on the stack's store, as `npm run push:plan` does), then the
 * resident opens 健康知识, sees it unread, reads it (unread → read) and taps 订阅健康提醒
 * (H5 records an accepted credit through POST /me/subscriptions).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localDateOf, quarterOf } from '@jiayi/shared/domain/dates';
import { setDb } from '../functions/src/db/client';
import { agreementItem } from '../functions/src/db/agreements.tx';
import type { AgreementRecord } from '../functions/src/db/agreements.repo';
import { getSubscribeCredit } from '../functions/src/db/subscriptions.repo';
import { RecordingSmsSender, RecordingSubscribeSender } from '../functions/src/adapters/notify';
import { planQuarter } from '../functions/src/push/planner';
import { processJobs } from '../functions/src/push/sender';
import { InMemoryPushQueue } from '../functions/src/push/queue';
import { localClient } from '../infra/src/local/tables';
import { DEMO } from '../infra/src/seed/institutions.seed';
import { launch, openApp, screenshot } from './browser';

async function api(method: string, path: string, body?: unknown, token?: string) {
  const r = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any };
}

describe('H5: a signed resident reads this quarter\'s health tip', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
    process.env.TABLE_NAME = inject('tableName');
    setDb(DynamoDBDocumentClient.from(localClient(inject('storeEndpoint')), { marshallOptions: { removeUndefinedValues: true } }));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('健康知识: unread → read, then 订阅健康提醒', async () => {
    const login = await api('POST', '/auth/wechat', { code: `dev:health${randomBytes(4).toString('hex')}` });
    expect(login.status).toBe(200);
    const { token, accountId } = login.body;
    const today = localDateOf(new Date());
    const id = randomUUID();
    const at = new Date().toISOString();
    // An active agreement (liyang-2019, demo team) for a 70-year-old with the 65+ package.
    const agreement = {
      id, accountId, representativeName: '张建华', teamId: DEMO.teams.a, teamName: '王建国家庭医生团队', institutionId: DEMO.institutionId,
      institutionName: '溧阳市埭头镇卫生院（演示）', regionId: DEMO.regionId, policyVersion: 'e2e', signingKind: 'free', status: 'active',
      cycleStart: '2026-01-01', cycleEnd: '2026-12-31',
      members: [{ memberId: randomUUID(), name: '张建华', relation: '本人', idNumberMasked: '320481********1234', idHash: randomBytes(16).toString('hex'), sex: 'M', ageGroup: 'elderly_65', signingKind: 'free', packages: [{ code: 'LY-BASIC' }], byPayer: {}, totalFen: 0 }],
      totalFen: 0, byPayer: {}, byPayerGroup: {}, residentDueFen: 0, consent: { agreementTextVersion: 'e2e', at }, idempotencyKey: id, createdAt: at, updatedAt: at,
      paidFen: 0, refundedFen: 0, payments: [], history: [], origin: 'signed', shard: 3, version: 1,
    } as unknown as AgreementRecord;
    await DynamoDBDocumentClient.from(localClient(inject('storeEndpoint'))).send(new PutCommand({ TableName: inject('tableName'), Item: agreementItem(agreement) }));

    const queue = new InMemoryPushQueue();
    await planQuarter({ quarter: quarterOf(today), today, now: new Date(), queue, regions: [DEMO.regionId] });
    const senders = { subscribe: new RecordingSubscribeSender(), sms: new RecordingSmsSender() };
    await queue.drain((batch) => processJobs(batch, { senders, now: () => new Date() }));

    const page = await openApp(browser, '/pages/index/index');
    await page.evaluate((t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('jiayi.session', JSON.stringify({ data: t })), token);
    await page.goto(`${inject('webUrl')}/#/health/pages/index/index`);
    const list = page.getByTestId('tip-list');
    await list.getByText('我的健康知识').waitFor({ timeout: 30_000 });
    await page.getByTestId('unread-count').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('unread-count').innerText()).toBe('1条未读');
    // The 65+ resident gets the elderly tip of the starter library (age group beats general).
    const row = list.locator('[data-testid^="tip-tip-"]');
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain('未读');
    const title = (await row.locator('.tip-title').innerText()).trim();
    expect(['老年人防跌倒', '中医体质辨识，科学养生']).toContain(title);
    await screenshot(page, 'health-1-list-unread');

    await row.click();
    await page.getByTestId('tip-body').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('tip-title').innerText()).toBe(title);
    await expect.poll(() => page.getByTestId('tip-read-state').innerText()).toBe('已读');
    expect((await page.getByTestId('tip-body').innerText()).length).toBeGreaterThan(40);
    await screenshot(page, 'health-2-detail-read');

    await page.goBack();
    await list.getByText('我的健康知识').waitFor({ timeout: 30_000 });
    await expect.poll(() => row.innerText()).toContain('已读');
    expect(await page.getByTestId('unread-count').count()).toBe(0);

    await page.locator('taro-button-core', { hasText: '订阅健康提醒' }).click();
    await page.getByTestId('subscribe-notice').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('subscribe-notice').innerText()).toContain('已订阅');
    await screenshot(page, 'health-3-subscribed');
    expect((await getSubscribeCredit(accountId, 'local-health-tip'))?.credits).toBe(1);
  });
});
