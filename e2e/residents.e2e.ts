/**
 * A new resident on the H5 build: dev login → privacy notice → real-name form (a wrong check
 * character is caught inline, then fixed) → household list → add a child (guardian consent).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, addYears, localDateOf } from '@jiayi/shared/domain/dates';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { launch, openApp, screenshot } from './browser';

const today = localDateOf(new Date());
const seq = () => Number.parseInt(randomBytes(2).toString('hex'), 16) % 500;
const holderId = makeIdNumber({ region: '320481', birthDate: addDays(addYears(today, -35), -40), seq: seq(), sex: 'F' });
const childId = makeIdNumber({ region: '320481', birthDate: addDays(addYears(today, -6), -100), seq: seq(), sex: 'M' });
const wrong = holderId.slice(0, 17) + (holderId[17] === '1' ? '2' : '1');

const input = (page: Page, name: string) => page.locator(`[data-testid="field-${name}"] input`);
const button = (page: Page, text: string) => page.locator('taro-button-core', { hasText: text });

describe('H5: a new resident logs in, proves who they are and adds a child', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('login → privacy → real name (inline check-character error, fixed) → add a child member', async () => {
    const page = await openApp(browser, '/identity/pages/login/index');
    await input(page, 'devLogin').waitFor({ timeout: 30_000 });
    await screenshot(page, 'residents-1-login');
    await input(page, 'devLogin').fill(`e2e${randomBytes(4).toString('hex')}`);
    await button(page, '登录').click();

    // The privacy notice comes first: nothing personal is asked before it is accepted.
    await page.getByTestId('privacy-notice').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('privacy-notice').innerText()).toContain('个人信息保护法');
    await button(page, '同意并继续').click();
    await page.getByText('请先勾选“我已阅读并同意”').waitFor();
    await page.getByTestId('privacy-agree').click();
    await screenshot(page, 'residents-2-privacy');
    await button(page, '同意并继续').click();

    // Real-name form: the wrong check character is reported under the field at once.
    await input(page, 'name').waitFor({ timeout: 30_000 });
    await input(page, 'name').fill('王芳');
    await input(page, 'idNumber').fill(wrong);
    const idError = page.locator('[data-testid="field-idNumber"] .field-error');
    await idError.waitFor();
    expect(await idError.innerText()).toBe('身份证号码校验位错误，请核对最后一位');
    await input(page, 'mobile').fill('13912345678');
    await screenshot(page, 'residents-3-realname-error');
    await button(page, '提交实名信息').click();
    expect(await idError.innerText()).toBe('身份证号码校验位错误，请核对最后一位');

    await input(page, 'idNumber').fill(holderId);
    await expect.poll(() => idError.count()).toBe(0);
    const hint = page.locator('[data-testid="field-idNumber"] .hint');
    expect(await hint.innerText()).toMatch(/^出生日期 \d{4}-\d{2}-\d{2} · 女 · 35岁$/);
    await page.getByTestId('consent-id').click();
    await screenshot(page, 'residents-4-realname-ok');
    await button(page, '提交实名信息').click();

    // Household list: the holder is the representative, shown masked.
    const self = page.getByTestId('member-王芳');
    await self.waitFor({ timeout: 30_000 });
    const selfText = await self.innerText();
    expect(selfText).toContain('本人（家庭代表）');
    expect(selfText).toContain(`${holderId.slice(0, 6)}********${holderId.slice(14)}`);
    expect(selfText).not.toContain(holderId);

    // Add a 6-year-old child: the consent is the guardian's.
    await button(page, '添加家庭成员').click();
    await page.getByTestId('relation').waitFor({ timeout: 30_000 });
    await page.getByTestId('relation').getByText('子女', { exact: true }).click();
    await input(page, 'name').fill('刘小宝');
    await input(page, 'idNumber').fill(childId);
    await page.getByText('该成员不满14周岁，以下授权由您作为监护人作出。').waitFor();
    await button(page, '保存').click();
    await page.getByText('请以监护人身份勾选同意').waitFor();
    await page.getByTestId('consent-member-id').click();
    await screenshot(page, 'residents-5-add-child');
    await button(page, '保存').click();

    const child = page.getByTestId('member-刘小宝');
    await child.waitFor({ timeout: 30_000 });
    const childText = await child.innerText();
    expect(childText).toContain('子女');
    expect(childText).toContain('男 · 6岁');
    expect(childText).toContain('由您作为监护人授权');
    expect(await page.getByText('共2人').count()).toBe(1);
    await screenshot(page, 'residents-6-members');
  });
});
