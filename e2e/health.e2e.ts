/**
 * 健康知识 on the H5 build (issues 7 and 11): a freshly signed resident (yongkang 不收费签约, in
 * effect on signing, so the test holds on any date) sees no pushed tip yet; the stack's clock is
 * moved two minutes (e2e/global-setup.ts runs the whole local stack on a local clock), the
 * scheduled catch-up delivers the quarter's tip through the local SQS, and the resident reads it
 * (unread → read). 为您推荐 lists the library's tips that fit them, and H5 offers no subscribe
 * button it could not honour. Nothing depends on the time of day: the catch-up runs on a rate.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addDays, addYears, localDateOf } from '@jiayi/shared/domain/dates';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { CONSENT_PURPOSES, PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { AGREEMENT_TEXT_VERSION } from '@jiayi/shared/domain/agreements/document';
import { localClient } from '../infra/src/local/tables';
import { LocalClock } from '../infra/src/local/clock';
import { call } from './api';
import { launch, openApp, screenshot } from './browser';

/** A yongkang institution and team, arranged in the store (the demo seed is liyang's). */
async function yongkangTeam(): Promise<string> {
  const doc = DynamoDBDocumentClient.from(localClient(inject('storeEndpoint')));
  const institutionId = `yk-e2e-${randomUUID()}`;
  const teamId = randomUUID();
  const TableName = inject('tableName');
  await doc.send(new PutCommand({ TableName, Item: { pk: `INST#${institutionId}`, sk: 'INST', type: 'institution', id: institutionId, regionId: 'yongkang', name: '永康市测试社区卫生服务中心', kind: '社区卫生服务中心', address: '测试路1号', phone: '0579-80000000' } }));
  await doc.send(
    new PutCommand({
      TableName,
      Item: {
        pk: `TEAM#${teamId}`, sk: 'TEAM', gsi1pk: `INST#${institutionId}#TEAMS`, gsi1sk: `TEAM#${teamId}`, type: 'team', id: teamId, institutionId, regionId: 'yongkang',
        name: '应医生家庭医生团队', doctors: [{ name: '应医生', title: '主治医师', role: 'gp', lead: true }], clinicHours: ['周一至周五 08:00-11:30'], capacity: 1000, memberCount: 0,
      },
    }),
  );
  return teamId;
}

/** A 70-year-old resident who has just signed yongkang's free basic service through the API. */
async function freshlySigned(teamId: string): Promise<string> {
  const { token } = await call('POST', '/auth/wechat', undefined, { code: `dev:tips${randomBytes(4).toString('hex')}` });
  await call('POST', '/me/privacy', token, { version: PRIVACY_NOTICE.version });
  await call('POST', '/me/consents', token, { purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version, action: 'grant' });
  const birthDate = addDays(addYears(localDateOf(new Date()), -70), -randomInt(1, 300));
  const idNumber = makeIdNumber({ region: '330784', birthDate, seq: randomInt(500), sex: 'F' });
  const me = await call('PUT', '/me/identity', token, { name: '应阿婆', idNumber, mobile: '13812345678', basis: { kind: 'local_hukou' } });
  const memberId = me.household.representativeMemberId as string;
  const a = await call('POST', '/agreements', token, {
    teamId, members: [{ memberId, packageCodes: [], signingKind: 'free' }], agreementTextVersion: AGREEMENT_TEXT_VERSION, idempotencyKey: `e2e-${randomUUID()}`,
  });
  expect(a.status).toBe('active');
  return token;
}

describe('H5: a freshly signed resident sees a health tip in 健康知识', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signed → the catch-up delivers this quarter\'s tip → unread → read; 为您推荐; no H5 subscribe promise', async () => {
    const token = await freshlySigned(await yongkangTeam());
    const page = await openApp(browser, '/pages/index/index');
    await page.evaluate((t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('jiayi.session', JSON.stringify({ data: t })), token);
    await page.goto(`${inject('webUrl')}/#/health/pages/index/index`);
    const list = page.getByTestId('tip-list');
    await list.getByText('暂无健康知识', { exact: false }).waitFor({ timeout: 30_000 });

    // Two minutes of stack time: the scheduled pushCatchUp (rate(2 minutes)) comes due.
    LocalClock.open(inject('clockFile')).advance(2 * 60_000);
    const row = list.locator('[data-testid^="tip-tip-"]');
    await expect
      .poll(
        async () => {
          await page.reload();
          await list.getByText('我的健康知识').waitFor({ timeout: 30_000 });
          await page.waitForTimeout(500);
          return row.count();
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(1);
    expect(await page.getByTestId('unread-count').innerText()).toBe('1条未读');
    expect(await row.innerText()).toContain('未读');
    const title = (await row.locator('.tip-title').innerText()).trim();
    expect(title.length).toBeGreaterThan(2);
    await screenshot(page, 'health-1-list-unread');

    // 为您推荐: the library's tips that fit a 70-year-old, apart from the pushed one.
    const library = page.getByTestId('tip-library');
    await library.locator('[data-testid^="library-"]').first().waitFor({ timeout: 30_000 });
    expect(await library.innerText()).toContain('适合65岁及以上老年人');

    // H5 cannot request WeChat subscribe messages: no button, an honest note instead.
    expect(await page.locator('taro-button-core', { hasText: '订阅健康提醒' }).count()).toBe(0);
    expect(await page.getByTestId('subscribe-unavailable').innerText()).toContain('网页版不能订阅微信消息提醒');

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

    // A recommended tip opens with its body (no read state: it was not pushed).
    await library.locator('[data-testid^="library-"]').first().click();
    await page.locator('[data-testid="tip-body"]:visible').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="tip-read-state"]:visible').count()).toBe(0);
    await screenshot(page, 'health-3-recommended');
  });
});
