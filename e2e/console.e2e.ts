/**
 * Clinic console on the H5 build (issue 8): a resident signs with the seeded jilin-2017 demo team
 * (through the API); the seeded team doctor logs in, opens 履约服务登记, records the year's
 * physical exam for that resident with a card-swipe number, and the resident's 履约进度 page
 * then reads 已完成 1/1. The institution admin sees the service in the monthly report.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, addYears, localDateOf } from '@jiayi/shared/domain/dates';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { CONSENT_PURPOSES, PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { AGREEMENT_TEXT_VERSION } from '@jiayi/shared/domain/agreements/document';
import { launch, openApp, screenshot as rawScreenshot } from './browser';
import { call } from './api';

const TEAM = 'jl-nanguan-t1';
const INSTITUTION = 'jl-nanguan';
const EXAM = 'JL-BASIC/3-1';
const today = localDateOf(new Date());
const rnd = (n: number) => Number.parseInt(randomBytes(3).toString('hex'), 16) % n;
const login = `cons${randomBytes(4).toString('hex')}`;
const idNumber = makeIdNumber({ region: '220102', birthDate: addDays(addYears(today, -68), -rnd(300)), seq: rnd(500), sex: 'M' });


async function arrangeSignedResident(): Promise<{ token: string; agreementId: string; memberId: string }> {
  const { token } = await call('POST', '/auth/wechat', undefined, { code: `dev:${login}` });
  await call('POST', '/me/privacy', token, { version: PRIVACY_NOTICE.version });
  await call('POST', '/me/consents', token, { purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version, action: 'grant' });
  const me = await call('PUT', '/me/identity', token, { name: '郑国庆', idNumber, mobile: '13812345678', basis: { kind: 'local_hukou' } });
  const memberId = me.household.representativeMemberId as string;
  const agreement = await call('POST', '/agreements', token, {
    teamId: TEAM,
    members: [{ memberId, packageCodes: [] }],
    agreementTextVersion: AGREEMENT_TEXT_VERSION,
    idempotencyKey: `e2e-${randomBytes(6).toString('hex')}`,
  });
  expect(agreement.status).toBe('active');
  return { token, agreementId: agreement.id, memberId };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(450);
  await rawScreenshot(page, name);
}
const tid = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`).first();

async function staffLogin(page: Page, username: string) {
  await page.locator('[data-testid="staff-username"] input').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="staff-username"] input').fill(username);
  await page.locator('[data-testid="staff-password"] input').fill('jiayi-demo');
  await tid(page, 'staff-login').click();
}

describe('H5: the team doctor records a service and the resident’s progress changes', () => {
  let browser: Browser;
  let resident: { token: string; agreementId: string; memberId: string };
  beforeAll(async () => {
    resident = await arrangeSignedResident();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('console: record the physical exam → resident sees 已完成 1/1', async () => {
    const before = await call('GET', `/me/agreements/${resident.agreementId}/progress`, resident.token);
    const item = (p: any) => p.members[0].packages.flatMap((x: any) => x.items).find((i: any) => i.itemCode === EXAM);
    expect(item(before)).toMatchObject({ delivered: 0, promised: 1 });

    const page = await openApp(browser, '/console/pages/login/index');
    try {
      await staffLogin(page, 'doctor.zhao');
      await tid(page, 'console-entry-services').click();
      await tid(page, `resident-${resident.agreementId}`).waitFor({ timeout: 30_000 });
      await screenshot(page, 'console-1-team-residents');
      await tid(page, `resident-${resident.agreementId}`).click();
      await tid(page, 'agreement-panel').waitFor({ timeout: 30_000 });
      await tid(page, `pick-item-${EXAM}`).click();
      await page.locator('[data-testid="service-evidence"] input').fill(`SS${Date.now()}`);
      await tid(page, 'service-submit').click();
      await expect.poll(async () => (await tid(page, 'services-notice').innerText().catch(() => '')).trim(), { timeout: 30_000 }).toMatch(/^已登记：郑国庆/);
      await expect.poll(async () => tid(page, `progress-${resident.memberId}-${EXAM}`).innerText(), { timeout: 15_000 }).toMatch(/已完成 1\/1 次/);
      await screenshot(page, 'console-2-recorded');
    } catch (e) {
      await rawScreenshot(page, 'console-failed').catch(() => undefined);
      throw e;
    } finally {
      await page.context().close();
    }

    const after = await call('GET', `/me/agreements/${resident.agreementId}/progress`, resident.token);
    expect(item(after)).toMatchObject({ delivered: 1, promised: 1, status: 'done' });

    // The resident's own page says so too.
    const rp = await openApp(browser, '/identity/pages/login/index');
    try {
      await rp.locator('[data-testid="field-devLogin"] input').waitFor({ timeout: 30_000 });
      await rp.locator('[data-testid="field-devLogin"] input').fill(login);
      await rp.locator('taro-button-core', { hasText: '登录' }).click();
      await rp.getByTestId('member-郑国庆').waitFor({ timeout: 30_000 });
      await rp.goto(`${inject('webUrl')}/#/pages/index/index`);
      await tid(rp, 'entry-progress').click();
      await expect.poll(async () => tid(rp, `item-${EXAM}`).innerText(), { timeout: 30_000 }).toMatch(/已完成 1\/1 次/);
      await screenshot(rp, 'console-3-resident-progress');
    } catch (e) {
      await rawScreenshot(rp, 'console-resident-failed').catch(() => undefined);
      throw e;
    } finally {
      await rp.context().close();
    }
  });

  it('console: the institution admin sees the monthly report with charts and the forms', async () => {
    const page = await openApp(browser, '/console/pages/login/index');
    try {
      await staffLogin(page, 'admin.nanguan');
      await tid(page, 'console-entry-reports').click();
      await tid(page, 'coverage-chart').waitFor({ timeout: 30_000 });
      await tid(page, 'fulfilment-chart').waitFor({ timeout: 30_000 });
      expect(await tid(page, 'fulfilment-chart').innerText()).toContain('居民签约时开展一次体格检查');
      await screenshot(page, 'console-4-reports');
      await page.goto(`${inject('webUrl')}/#/console/pages/register/index`);
      await tid(page, 'register-current').waitFor({ timeout: 30_000 });
      await screenshot(page, 'console-5-register');
    } catch (e) {
      await rawScreenshot(page, 'console-reports-failed').catch(() => undefined);
      throw e;
    } finally {
      await page.context().close();
    }
    const report = await fetch(`${inject('apiUrl')}/institutions/${INSTITUTION}/reports?month=${today.slice(0, 7)}`);
    expect(report.status).toBe(401);
  });
});
