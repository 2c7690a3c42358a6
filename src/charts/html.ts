/**
 * Text that chart tooltips put into HTML. Channel names come from the user's data: every one is
 * escaped before it is written into a tooltip (ECharts renders tooltip strings as HTML).
 */

import { formatPercent, trimZeros } from '../units.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A coloured dot before a tooltip line (the colour is ours, never the data's). */
export function dot(color: string): string {
  return `<span style="display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px;background:${color}"></span>`;
}

/** How charts write numbers: each caller passes its own (the web's units-aware ones, the report's compact ones). */
export type Format = (v: number | null | undefined) => string;

/** An axis tick's text: the value's format without trailing zeros ("$5M", not "$5.00M"): ticks are round numbers. */
export function tick(format: Format): (v: number) => string {
  return (v) => trimZeros(format(v));
}

/** Percent of a fraction: 0.123 → "12.3%" (the one formatter of src/units.ts). */
export const percent: Format = (v) => formatPercent(v);
