/** Chromium for the browser tests: Debian's binary, the flags the brief names, and a page that fails the test on a page error. */
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (listed in .ci/apt-packages)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A 1280 × 800 page whose uncaught errors fail the test. */
export async function strictPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => { throw e; });
  return page;
}
