/**
 * Signing on the H5 build (issue 5 + the issue-4 household price breakdown): a new resident born
 * in 1950 completes identity, adds a spouse, signs both with the liyang team ly-daitou-t1 (the
 * 65+ package 160000002-c for the elderly representative, the basic package for the spouse),
 * pays the resident's share with the simulated provider and sees the active agreement on 我的签约.
 *
 * Amounts (liyang-2019 §三(一)): basic package 8 元 from the public-health fund; the 65+ package
 * 150 元 = resident 50 + insurance fund 50 (insured locally) + public-health fund 50.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, addYears, localDateOf } from '@jiayi/shared/domain/dates';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { inject } from 'vitest';
import { launch, openApp, screenshot as rawScreenshot } from './browser';

const today = localDateOf(new Date());
const rnd = (n: number) => Number.parseInt(randomBytes(3).toString('hex'), 16) % n;
// Unique people per run (the person-uniqueness item and the sign lock are keyed by ID number).
const elderBirth = addDays('1950-01-01', rnd(360));
const holderId = makeIdNumber({ region: '320481', birthDate: elderBirth, seq: rnd(500), sex: 'M' });
const spouseId = makeIdNumber({ region: '320481', birthDate: addDays(addYears(today, -48), -rnd(300)), seq: rnd(500), sex: 'F' });
const ELDERLY_PKG = '160000002-c';

/** Let Taro's page slide-in finish so the full-page capture shows one page. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(450);
  await rawScreenshot(page, name);
}

const input = (page: Page, name: string) => page.locator(`[data-testid="field-${name}"] input`);
const button = (page: Page, text: string) => page.locator('taro-button-core', { hasText: text });
/** The visible element with this test id (Taro H5 keeps earlier pages of the stack hidden in the DOM). */
const tid = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`).first();

describe('H5: a household signs with a family-doctor team and pays', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('identity → member → team → packages with live quote → agreement → simulated payment → 我的签约', async () => {
    const page = await openApp(browser, '/identity/pages/login/index');
    try {
      await flow(page);
    } catch (e) {
      await rawScreenshot(page, 'signing-failed').catch(() => undefined);
      throw e;
    }
  });
});

async function flow(page: Page): Promise<void> {

  // ---- identity: dev login, privacy notice, real name (born 1950), insured locally
  await input(page, 'devLogin').waitFor({ timeout: 30_000 });
  await input(page, 'devLogin').fill(`sign${randomBytes(4).toString('hex')}`);
  await button(page, '登录').click();
  await page.getByTestId('privacy-agree').waitFor({ timeout: 30_000 });
  await page.getByTestId('privacy-agree').click();
  await button(page, '同意并继续').click();
  await input(page, 'name').waitFor({ timeout: 30_000 });
  await input(page, 'name').fill('张德顺');
  await input(page, 'idNumber').fill(holderId);
  await input(page, 'mobile').fill('13912345678');
  await page.getByTestId('consent-id').click();
  await button(page, '提交实名信息').click();
  const self = page.getByTestId('member-张德顺');
  await self.waitFor({ timeout: 30_000 });

  // The representative takes part in liyang basic medical insurance (the fund pays its 50 元).
  await self.getByText('编辑', { exact: true }).click();
  await tid(page, 'insured').waitFor({ timeout: 30_000 });
  await tid(page, 'insured').getByText('是', { exact: true }).click();
  await button(page, '保存').click();
  await expect.poll(() => page.getByTestId('member-张德顺').innerText(), { timeout: 30_000 }).toContain('· 参加本地医保');

  // ---- a second household member (spouse, 48)
  await button(page, '添加家庭成员').click();
  await tid(page, 'relation').waitFor({ timeout: 30_000 });
  await tid(page, 'relation').getByText('配偶', { exact: true }).click();
  await input(page, 'name').last().fill('李桂兰');
  await input(page, 'idNumber').last().fill(spouseId);
  await tid(page, 'consent-member-id').click();
  await button(page, '保存').click();
  await page.getByTestId('member-李桂兰').waitFor({ timeout: 30_000 });
  expect(await page.getByText('共2人').count()).toBe(1);

  // ---- home: the entry points sit beside the region list
  await page.goto(`${inject('webUrl')}/#/pages/index/index`);
  await tid(page, 'region-liyang-2019').waitFor({ timeout: 30_000 });
  await screenshot(page, 'signing-0-home');
  await tid(page, 'entry-signing').click();

  // ---- step 1: team (the only liyang institution is chosen for the resident)
  const team = tid(page, 'team-ly-daitou-t1');
  await team.waitFor({ timeout: 30_000 });
  const teamText = await team.innerText();
  expect(teamText).toContain('王建国');
  expect(teamText).toContain('第一责任人');
  expect(teamText).toMatch(/剩余名额 \d+/);
  expect(teamText).toContain('门诊');
  await screenshot(page, 'signing-1-team');
  await team.click();
  await expect.poll(() => team.innerText()).toContain('已选择该团队');
  await tid(page, 'team-next').click();

  // ---- step 2: packages per member, eligibility, live quote
  const elderPkg = tid(page, `pkg-张德顺-${ELDERLY_PKG}`);
  await elderPkg.waitFor({ timeout: 30_000 });
  // Packages a member cannot sign sit behind a toggle, greyed, with the reason.
  await tid(page, 'show-ineligible-李桂兰').click();
  const spousePkg = tid(page, `pkg-李桂兰-${ELDERLY_PKG}`);
  await spousePkg.waitFor();
  expect(await spousePkg.innerText()).toContain('该服务包仅适用于65岁及以上老年人');
  // Before any paid package the household owes nothing.
  await expect.poll(() => tid(page, 'quote-total').innerText(), { timeout: 30_000 }).toContain('您需支付 ¥0.00');
  await elderPkg.click();
  const total = tid(page, 'quote-total');
  await expect.poll(() => total.innerText(), { timeout: 30_000 }).toContain('合计 ¥166.00');
  expect(await total.innerText()).toContain('您需支付 ¥50.00，医保基金支付 ¥50.00，公共卫生经费支付 ¥66.00');
  const elderQuote = await tid(page, 'quote-张德顺').innerText();
  expect(elderQuote).toContain('小计 ¥158.00：您需支付 ¥50.00，医保基金支付 ¥50.00，公共卫生经费支付 ¥58.00');
  expect(await tid(page, 'quote-李桂兰').innerText()).toContain('小计 ¥8.00：您需支付 ¥0.00，公共卫生经费支付 ¥8.00');
  await screenshot(page, 'signing-2-packages');
  await tid(page, 'packages-next').click();

  // ---- step 3: agreement text, explicit consent, sign
  await tid(page, 'agreement-document').waitFor({ timeout: 30_000 });
  expect(await tid(page, 'agreement-document').innerText()).toContain('家庭医生签约服务协议书');
  expect(await tid(page, 'confirm-total').innerText()).toContain('您需支付 ¥50.00');
  await tid(page, 'sign-submit').click();
  await expect.poll(() => tid(page, 'sign-error').innerText()).toContain('请先阅读协议并勾选');
  await tid(page, 'sign-consent').click();
  await screenshot(page, 'signing-3-agreement');
  await tid(page, 'sign-submit').click();

  // ---- step 4: pay the resident's 50 元 with the simulated provider
  await tid(page, 'pay-amount').waitFor({ timeout: 30_000 });
  expect(await tid(page, 'pay-amount').innerText()).toBe('¥50.00');
  await screenshot(page, 'signing-4-pay');
  await tid(page, 'pay-button').click();
  await tid(page, 'simulate-pay').waitFor({ timeout: 30_000 });
  await tid(page, 'simulate-pay').click();
  await tid(page, 'pay-success').waitFor({ timeout: 45_000 });
  await screenshot(page, 'signing-5-paid');
  await tid(page, 'go-mine').click();

  // ---- 我的签约: active, both members, packages with quantities, the payment
  const card = page.locator('[data-testid^="agreement-"]:visible').filter({ has: page.getByTestId('agreement-status') }).first();
  await card.waitFor({ timeout: 30_000 });
  await expect.poll(() => card.getByTestId('agreement-status').innerText()).toBe('生效中');
  // The team's doctors arrive with a second request (GET /teams); wait for them.
  await card.locator('.doctors').waitFor({ timeout: 30_000 });
  const cardText = await card.innerText();
  expect(cardText).toContain('王建国家庭医生团队');
  expect(cardText).toContain('第一责任人');
  expect(cardText).toContain('老年人健康管理服务包');
  expect(cardText).toContain('合计 ¥166.00：您需支付 ¥50.00，医保基金支付 ¥50.00，公共卫生经费支付 ¥66.00');
  expect(cardText).toContain('微信支付 ¥50.00');
  expect(cardText).toContain('已支付');
  expect(await card.getByTestId('agreement-member-张德顺').innerText()).toContain('65岁及以上');
  expect(await card.getByTestId('agreement-member-李桂兰').innerText()).toContain('18-64岁');
  await card.getByTestId(`items-toggle-张德顺-${ELDERLY_PKG}`).click();
  await expect.poll(() => card.getByTestId('agreement-member-张德顺').innerText()).toMatch(/彩超检查.*\n?.*1次\/年/);
  expect(await card.getByTestId('action-terminate').count()).toBe(1);
  await screenshot(page, 'signing-6-mine');

  // ---- the refund preview before terminating (nothing delivered yet: the full 50 元)
  await card.getByTestId('action-terminate').click();
  await tid(page, 'reason-moved_out').waitFor({ timeout: 30_000 });
  await tid(page, 'reason-moved_out').click();
  await expect.poll(() => tid(page, 'refund-amount').innerText(), { timeout: 30_000 }).toBe('预计退还 ¥50.00');
  await screenshot(page, 'signing-7-terminate-preview');
}
