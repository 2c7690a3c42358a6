/**
 * Organic media and reach & frequency in the web app, on Robyn's demo file uploaded as one wide file:
 * the wizard offers `newsletter` as organic media (no longer a control), trains it, and the Insights
 * page shows its contribution in the organic table with no ROI row; the planner offers a volume
 * scenario for it, which the saved plan keeps. Meridian's R&F sample: the Insights page gives the
 * optimal frequency the API serves, and the planner can hold the channel there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harmonize, ingestByRole, withWorkspace } from '../../src/data/index.ts';
import { runFit } from '../../src/app/fit.ts';
import { readModelConfig } from '../../src/app/modelConfigFile.ts';
import { formatAmount, formatValue } from '../../src/units.ts';
import { openApp } from './browser.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

test('organic newsletter and an R&F channel: wizard, insights and planner', async () => {
  const workspace = join(mkdtempSync(join(tmpdir(), 'organic-e2e-')), 'ws.duckdb');
  await withWorkspace(workspace, async (ws) => {
    await ingestByRole(ws, join(repo, 'data/reference/robyn/dt_simulated_weekly.csv'), { name: 'robyn' });
    await harmonize(ws, { name: 'robyn-weekly', grain: 'week' });
  });
  await runFit(readModelConfig(join(repo, 'examples/meridian/national_rf.json')), workspace, { fast: true, chains: 1, draws: 200 });
  const { server, page, close } = await openApp(workspace);
  try {
    // The wizard: newsletter as organic media; it leaves the controls.
    await page.goto(`${server.url}#/models`);
    const wizard = page.locator('.wizard');
    await wizard.locator('select[name=table]').selectOption('robyn-weekly');
    await wizard.locator('button', { hasText: '2. Channels' }).click();
    await wizard.locator('fieldset.organic label', { hasText: 'newsletter' }).locator('input').check();
    await wizard.locator('button', { hasText: '6. Train' }).click();
    const config = JSON.parse(await wizard.locator('details pre').textContent() ?? '{}');
    assert.deepEqual(config.channels.find((c: { name: string }) => c.name === 'newsletter'), { name: 'newsletter', exposure: 'newsletter', organic: true });
    assert.ok(!config.controls.some((c: { column: string }) => c.column === 'newsletter'), 'newsletter is not also a control');
    await page.fill('input[name=model-name]', 'organic');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForSelector('[data-testid=fit-progress][data-status=succeeded], [role=alert]', { timeout: 90_000 });
    assert.equal(await page.locator('[role=alert]').count(), 0, (await page.locator('[role=alert]').first().textContent().catch(() => '')) ?? '');

    // Insights: the organic table shows the stored contribution; no ROI row for newsletter.
    const api = await (await fetch(`${server.url}/api/models/organic-1/insights`)).json() as { organic: { channel: string; contribution: number }[]; channels: { channel: string }[]; units: { outcome: 'currency'; currency: string | null } };
    assert.equal(api.organic[0].channel, 'newsletter');
    assert.ok(!api.channels.some((c) => c.channel === 'newsletter'));
    await page.goto(`${server.url}#/insights/organic-1`);
    const organic = page.locator('[data-testid=organic-table]');
    await organic.waitFor({ timeout: 60_000 });
    assert.ok((await organic.textContent() ?? '').includes(formatValue(api.organic[0].contribution, api.units.outcome, api.units.currency)));
    assert.ok(!(await page.locator('[data-testid=channel-table]').textContent() ?? '').includes('newsletter'));

    // The planner: a volume scenario for newsletter, kept in the saved plan.
    await page.goto(`${server.url}#/plans`);
    await page.selectOption('select[name=plan-model]', 'organic-1');
    await page.fill('input[name=organic-newsletter]', '120');
    await page.fill('input[name=plan-name]', 'more-sends');
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    await page.waitForSelector('[data-testid=plan-result] h2:has-text("Plan more-sends-1"), [role=alert]', { timeout: 90_000 });
    assert.equal(await page.locator('[role=alert]').count(), 0, (await page.locator('[role=alert]').first().textContent().catch(() => '')) ?? '');
    const saved = await (await fetch(`${server.url}/api/plans/more-sends-1`)).json() as { spec: { organic?: Record<string, number> } };
    assert.deepEqual(saved.spec.organic, { newsletter: 1.2 });

    // Reach & frequency: the optimal frequency as the API serves it, and the planner's hold.
    const rf = await (await fetch(`${server.url}/api/models/meridian-national-rf-1/insights`)).json() as { channels: { channel: string; optimalFrequency?: number }[] };
    const ch3 = rf.channels.find((c) => c.channel === 'Channel3')!;
    await page.goto(`${server.url}#/insights/meridian-national-rf-1`);
    const freq = page.locator('[data-testid=frequency-table]');
    await freq.waitFor({ timeout: 60_000 });
    assert.ok((await freq.textContent() ?? '').includes(formatAmount(ch3.optimalFrequency)));
    await page.goto(`${server.url}#/plans`);
    await page.selectOption('select[name=plan-model]', 'meridian-national-rf-1');
    await page.locator('input[name=frequency-Channel3]').check();
    await page.fill('input[name=plan-name]', 'at-optimum');
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    await page.waitForSelector('[data-testid=plan-result] h2:has-text("Plan at-optimum-1"), [role=alert]', { timeout: 90_000 });
    assert.equal(await page.locator('[role=alert]').count(), 0, (await page.locator('[role=alert]').first().textContent().catch(() => '')) ?? '');
    const held = await (await fetch(`${server.url}/api/plans/at-optimum-1`)).json() as { spec: { frequency?: Record<string, number> } };
    assert.deepEqual(held.spec.frequency, { Channel3: ch3.optimalFrequency });
  } finally { await close(); }
});
