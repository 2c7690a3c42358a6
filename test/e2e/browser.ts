/** Chromium for the browser tests: Debian's binary, the flags the brief names, and a page that fails the test on a page error. */
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer } from '../../src/server/listen.ts';

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

/**
 * What every browser test starts from: the web app built (if its sources changed), a server on
 * `workspace` on a free port, and a strict page in Chromium. `close` stops the browser and the server.
 */
export async function openApp(workspace: string): Promise<{ server: Awaited<ReturnType<typeof startServer>>; browser: Browser; page: Page; close: () => Promise<void> }> {
  assert.equal(spawnSync(process.execPath, ['web/build-if-needed.mjs'], { stdio: 'inherit' }).status, 0, 'web build failed');
  const server = await startServer({ workspace, port: 0 });
  const browser = await launchChromium();
  const page = await strictPage(browser);
  return { server, browser, page, close: async () => { await browser.close(); await server.close(); } };
}
