/**
 * Accessibility checks for the browser tests: axe-core (the devDependency) injected into the page,
 * run on the whole document, and the test fails on any serious or critical violation, naming the rule,
 * what it asks and the elements. Minor and moderate findings are returned for the caller to report.
 *
 *   await assertAccessible(page, 'Insights');
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }

/** The impacts that fail a test. */
export const BLOCKING = ['serious', 'critical'];

/** Runs axe on the page as it is now; returns every violation (any impact). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object'))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

/** One line per violation: "serious color-contrast (Elements must meet minimum color contrast ratio thresholds): .badge, …". */
export function describeViolations(vs: readonly AxeViolation[]): string {
  return vs.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 6).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 6 ? `, … (${v.nodes.length})` : ''}`).join('\n');
}

/** Fails when axe finds a serious or critical violation on the page; returns the lesser ones. */
export async function assertAccessible(page: Page, label: string): Promise<AxeViolation[]> {
  const all = await axeViolations(page);
  const blocking = all.filter((v) => BLOCKING.includes(v.impact ?? ''));
  assert.deepEqual(blocking.map((v) => v.id), [], `${label}: serious or critical accessibility violations:\n${describeViolations(blocking)}`);
  return all.filter((v) => !BLOCKING.includes(v.impact ?? ''));
}
