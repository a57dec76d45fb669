import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openApp, screenshot } from './browser';

describe('H5 smoke', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads the home page with regions from the local API, and opens the liyang package catalog', async () => {
    const page = await openApp(browser);
    // The region names come from GET /regions (the policy engine behind the local API).
    await page.getByTestId('region-liyang-2019').waitFor({ timeout: 30_000 });
    expect(await page.locator('.hero-title').innerText()).toBe('家庭医生签约服务');
    await screenshot(page, 'home');
    await page.getByTestId('region-liyang-2019').click();
    const hypertension = page.getByTestId('package-160000002-d');
    await hypertension.waitFor({ timeout: 30_000 });
    await hypertension.click();
    await page.getByText('收起服务项目').waitFor();
    expect(await hypertension.innerText()).toMatch(/150/);
    await screenshot(page, 'catalog-liyang');
  });
});
