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

  it('loads the home page and shows data from the local API', async () => {
    const page = await openApp(browser);
    await page.getByText('服务状态：正常').waitFor({ timeout: 30_000 });
    expect(await page.getByText('家庭医生签约服务').isVisible()).toBe(true);
    await screenshot(page, 'home');
  });
});
