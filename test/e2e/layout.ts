/**
 * Text that overlaps in a chart, measured in the page: every chart of the web app draws with ECharts'
 * SVG renderer, so its legend entries, axis labels, axis names, titles and data labels are <text>
 * elements whose boxes the browser knows. Two boxes that share more than `tolerance` px both ways
 * overlap; a box that runs outside its chart is cut off.
 */
import type { Page } from 'playwright-core';

export interface TextBox { text: string; x: number; y: number; w: number; h: number }
export interface Overlap { chart: string; a: TextBox; b: TextBox }

/** The text boxes of each chart (`[data-testid^=chart-]`, or `selector`) on the page, by chart test id. */
export async function chartTexts(page: Page, selector = '[data-testid^="chart-"], [data-testid$="-chart"]'): Promise<Record<string, { box: TextBox; texts: TextBox[] }>> {
  return page.evaluate((sel) => {
    const out: Record<string, { box: TextBox; texts: TextBox[] }> = {};
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      const texts = [...el.querySelectorAll('svg text')].flatMap((t) => {
        const b = t.getBoundingClientRect(), s = getComputedStyle(t);
        const text = (t.textContent ?? '').trim();
        if (!text || !b.width || !b.height || s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0 || Number(t.getAttribute('fill-opacity') ?? 1) === 0) return [];
        return [{ text, x: b.x, y: b.y, w: b.width, h: b.height }];
      });
      out[el.dataset.testid ?? el.id] = { box: { text: '', x: r.x, y: r.y, w: r.width, h: r.height }, texts };
    }
    return out;
  }, selector);
}

/** Pairs of text boxes that overlap by more than `tolerance` px in both directions. */
export function overlaps(chart: string, texts: readonly TextBox[], tolerance = 1): Overlap[] {
  const found: Overlap[] = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i], b = texts[j];
    const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x), dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    if (dx > tolerance && dy > tolerance) found.push({ chart, a, b });
  }
  return found;
}

/** Text boxes that run more than `tolerance` px outside their chart. */
export function cutOff(box: TextBox, texts: readonly TextBox[], tolerance = 2): TextBox[] {
  return texts.filter((t) => t.x < box.x - tolerance || t.y < box.y - tolerance || t.x + t.w > box.x + box.w + tolerance || t.y + t.h > box.y + box.h + tolerance);
}

/**
 * The boxes of each chart's legends and colour scales (visualMap), their symbols and bars included,
 * from the ECharts instance the web's Chart leaves on its element: what a text box must not cut into.
 */
export async function legendBoxes(page: Page, selector = '[data-testid^="chart-"], [data-testid$="-chart"]'): Promise<Record<string, TextBox[]>> {
  return page.evaluate((sel) => {
    const out: Record<string, TextBox[]> = {};
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      const inst = (el as unknown as { echarts?: { getModel(): { eachComponent(t: string, f: (m: unknown) => void): void }; getViewOfComponentModel(m: unknown): { group?: { getBoundingRect(): { clone(): { applyTransform(t: unknown): void; x: number; y: number; width: number; height: number } }; getComputedTransform(): unknown } } } }).echarts;
      if (!inst) continue;
      const at = el.getBoundingClientRect();
      const boxes: TextBox[] = [];
      for (const type of ['legend', 'visualMap']) {
        inst.getModel().eachComponent(type, (m) => {
          const g = inst.getViewOfComponentModel(m)?.group;
          if (!g) return;
          const r = g.getBoundingRect().clone();
          r.applyTransform(g.getComputedTransform());
          if (r.width > 0 && r.height > 0 && Number.isFinite(r.x)) boxes.push({ text: type, x: at.x + r.x, y: at.y + r.y, w: r.width, h: r.height });
        });
      }
      out[el.dataset.testid ?? el.id] = boxes;
    }
    return out;
  }, selector);
}

/** Texts that cut into a legend's (or colour scale's) box: partly inside it (its own texts lie wholly inside). */
export function intoLegend(legend: TextBox, texts: readonly TextBox[], tolerance = 1): TextBox[] {
  return texts.filter((t) => {
    const dx = Math.min(t.x + t.w, legend.x + legend.w) - Math.max(t.x, legend.x), dy = Math.min(t.y + t.h, legend.y + legend.h) - Math.max(t.y, legend.y);
    const inside = t.x >= legend.x - tolerance && t.y >= legend.y - tolerance && t.x + t.w <= legend.x + legend.w + tolerance && t.y + t.h <= legend.y + legend.h + tolerance;
    return dx > tolerance && dy > tolerance && !inside;
  });
}

/** Every overlap, text cut into a legend and cut-off text of every chart on the page, in words ("chart-roi: '2.5' overlaps 'posterior 90%'"). */
export async function layoutProblems(page: Page, selector?: string): Promise<string[]> {
  const charts = await chartTexts(page, selector);
  const legends = await legendBoxes(page, selector);
  return Object.entries(charts).flatMap(([id, c]) => [
    ...overlaps(id, c.texts).map((o) => `${id}: '${o.a.text}' overlaps '${o.b.text}'`),
    ...(legends[id] ?? []).flatMap((l) => intoLegend(l, c.texts).map((t) => `${id}: '${t.text}' runs into the ${l.text}`)),
    ...cutOff(c.box, c.texts).map((t) => `${id}: '${t.text}' runs outside the chart`),
  ]);
}
