/**
 * Appointments on the H5 build (issue 6): a resident signed with the demo team ly-daitou-t1
 * (arranged through the API: identity + basic package, free → active) opens 签约门诊预约, books a
 * slot of the seeded rota, sees it on 我的预约, cancels it, and the place is free again.
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

const TEAM = 'ly-daitou-t1';
const today = localDateOf(new Date());
const rnd = (n: number) => Number.parseInt(randomBytes(3).toString('hex'), 16) % n;
const login = `appt${randomBytes(4).toString('hex')}`;
const idNumber = makeIdNumber({ region: '320481', birthDate: addDays(addYears(today, -42), -rnd(300)), seq: rnd(500), sex: 'F' });


/** Logged in, identity saved, signed with the demo team (basic package: free, active at once). */
async function arrangeSignedResident(): Promise<string> {
  const { token } = await call('POST', '/auth/wechat', undefined, { code: `dev:${login}` });
  await call('POST', '/me/privacy', token, { version: PRIVACY_NOTICE.version });
  await call('POST', '/me/consents', token, { purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version, action: 'grant' });
  const me = await call('PUT', '/me/identity', token, { name: '周秀兰', idNumber, mobile: '13912345678', basis: { kind: 'local_hukou' } });
  const agreement = await call('POST', '/agreements', token, {
    teamId: TEAM,
    members: [{ memberId: me.household.representativeMemberId, packageCodes: ['LY-BASIC'] }],
    agreementTextVersion: AGREEMENT_TEXT_VERSION,
    idempotencyKey: `e2e-${randomBytes(6).toString('hex')}`,
  });
  expect(agreement.status).toBe('active');
  return token;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(450);
  await rawScreenshot(page, name);
}
const tid = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`).first();

/** Selects the first day after today that has a free place; returns its data-testid. */
async function pickLaterDayWithFreeSlot(page: Page): Promise<string> {
  const days = page.locator('[data-testid^="day-"]:visible');
  const n = await days.count();
  for (let i = 1; i < n; i++) {
    await days.nth(i).click();
    await page.waitForTimeout(400);
    if ((await page.locator('.ap-slot:not(.full):visible').count()) > 0) return (await days.nth(i).getAttribute('data-testid'))!;
  }
  throw new Error('no later day with a free place in the horizon');
}

describe('H5: a signed resident books the signing clinic, sees it, cancels it', () => {
  let browser: Browser;
  let token: string;
  beforeAll(async () => {
    token = await arrangeSignedResident();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('week view → book → 我的预约 → cancel → the place is free again', async () => {
    const page = await openApp(browser, '/identity/pages/login/index');
    try {
      await page.locator('[data-testid="field-devLogin"] input').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="field-devLogin"] input').fill(login);
      await page.locator('taro-button-core', { hasText: '登录' }).click();
      await page.getByTestId('member-周秀兰').waitFor({ timeout: 30_000 });

      await page.goto(`${inject('webUrl')}/#/pages/index/index`);
      await tid(page, 'entry-appointments').click();
      await tid(page, 'slots').waitFor({ timeout: 30_000 });
      expect(await tid(page, 'days').innerText()).toContain('今天');
      // Book on a later day than today: a slot starting within the 2-hour cancel deadline could
      // not be cancelled, and the test must not depend on the time of day it runs at.
      const dayId = await pickLaterDayWithFreeSlot(page);
      const slot = page.locator('.ap-slot:not(.full):visible').first();
      await slot.waitFor({ timeout: 30_000 });
      const time = (await slot.locator('.ap-slot-time').innerText()).trim();
      const freeBefore = await slot.locator('.ap-slot-free').innerText();
      expect(freeBefore).toMatch(/^余\d+个$/);
      await page.getByText('复诊开药', { exact: true }).click();
      await slot.click();
      expect(await tid(page, 'book-summary').innerText()).toContain(`周秀兰 · `);
      await screenshot(page, 'appointments-1-week');
      await tid(page, 'book-submit').click();

      // 我的预约: booked, with the cancel button.
      await tid(page, 'mine-ok').waitFor({ timeout: 30_000 });
      const card = page.locator('[data-testid^="appointment-"]:visible').first();
      await expect.poll(() => card.locator('[data-testid="appointment-status"]').innerText(), { timeout: 30_000 }).toBe('已预约');
      expect(await card.innerText()).toContain(`${time}-`);
      expect(await card.innerText()).toContain('就诊人：周秀兰');
      const mine = await call('GET', '/appointments', token);
      expect(mine.appointments).toHaveLength(1);
      const { slotId, id } = mine.appointments[0];
      const during = await call('GET', `/slots?teamId=${TEAM}&from=${mine.appointments[0].date}&to=${mine.appointments[0].date}`, token);
      const freeDuring = during.slots.find((s: any) => s.slotId === slotId).free;
      expect(`余${freeDuring + 1}个`).toBe(freeBefore);
      await screenshot(page, 'appointments-2-mine');

      // Cancel (confirm in the modal): status and the place come back.
      await card.locator('[data-testid="cancel"]').click();
      await page.getByText('确定', { exact: true }).click();
      await expect.poll(() => tid(page, `appointment-${id}`).locator('[data-testid="appointment-status"]').innerText(), { timeout: 30_000 }).toBe('已取消');
      expect(await tid(page, 'mine-ok').innerText()).toContain('名额已释放');
      await screenshot(page, 'appointments-3-cancelled');
      const after = await call('GET', `/slots?teamId=${TEAM}&from=${mine.appointments[0].date}&to=${mine.appointments[0].date}`, token);
      expect(after.slots.find((s: any) => s.slotId === slotId).free).toBe(freeDuring + 1);

      // And the week view shows the place free again.
      await tid(page, 'book-more').click();
      await tid(page, 'slots').waitFor({ timeout: 30_000 });
      await tid(page, dayId).click();
      const again = page.locator(`[data-testid="slot-${time}"]:visible`).first();
      await expect.poll(() => again.locator('.ap-slot-free').innerText(), { timeout: 30_000 }).toBe(freeBefore);
    } catch (e) {
      await rawScreenshot(page, 'appointments-failed').catch(() => undefined);
      throw e;
    }
  });

  it('console: the team doctor sees the seeded rota and the day\'s appointments', async () => {
    // A booking for the console to show.
    const elig = await call('GET', '/appointments/eligibility', token);
    const slots = await call('GET', `/slots?teamId=${TEAM}`, token);
    const slot = slots.slots.find((s: any) => s.free > 0);
    const booked = await call('POST', '/appointments', token, { teamId: TEAM, slotId: slot.slotId, memberId: elig.members[0].memberId, reason: '血压复查', idempotencyKey: `e2e-${randomBytes(6).toString('hex')}` });
    const page = await openApp(browser, '/console/pages/login/index');
    try {
      await page.locator('[data-testid="staff-username"] input').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="staff-username"] input').fill('doctor.wang');
      await page.locator('[data-testid="staff-password"] input').fill('jiayi-demo');
      await tid(page, 'staff-login').click();
      await tid(page, 'console-entry-rota').click();
      await tid(page, 'session-0').waitFor({ timeout: 30_000 });
      expect(await page.locator('.rota-row:visible').count()).toBeGreaterThanOrEqual(10);
      await screenshot(page, 'appointments-4-console-rota');

      await page.goto(`${inject('webUrl')}/#/console/pages/clinic-day/index`);
      await tid(page, 'clinic-date').waitFor({ timeout: 30_000 });
      while ((await tid(page, 'clinic-date').innerText()).trim() < slot.date) await page.getByText('后一天 ›').click();
      const row = tid(page, `staff-appointment-${booked.appointment.id}`);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.innerText()).toContain('事由：血压复查');
      await screenshot(page, 'appointments-5-console-day');
    } catch (e) {
      await rawScreenshot(page, 'appointments-console-failed').catch(() => undefined);
      throw e;
    }
  });
});
