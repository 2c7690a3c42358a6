#!/usr/bin/env node
/**
 * Writes data/reference/attribution/touchpoint_journeys.csv: a generated touchpoint event file with
 * the schema and shape of the widely circulated "attribution_data.csv" sample (which carries no
 * license, so the repo does not ship it). Deterministic: the same seed writes the same bytes
 * (test/data/reference.test.ts checks the committed file against this script).
 *
 *   node scripts/generate-journeys.mjs [--out FILE] [--seed N] [--customers N]
 *
 * Columns: customer_id,time,interaction,conversion,conversion_value,channel. ISO-8601 UTC times in
 * July 2018; interaction `impression` or `conversion`; channels Facebook, Paid Search, Online Video,
 * Instagram, Online Display. Rows are grouped by customer (ascending id) but not sorted by time
 * within a customer, like the original, so readers must sort.
 *
 * The process (a known truth, unlike the original, whose conversions do not depend on the touches):
 * - each customer is first seen at a time skewed towards early July and gets 1 + Poisson(6.7)
 *   impressions (at most 20) between then and the end of July, at hours of the day weighted like
 *   the original (few at night, most late morning);
 * - each customer has their own channel mix: the global shares below times Gamma(4, 1) noise;
 * - every impression of channel c starts a conversion with probability TRIGGER[c], at the
 *   impression's time plus Exp(mean 2.5 days), dropped after July; a base conversion with no touch
 *   behind it happens with probability BASE at a uniform time in July; at most 3 conversions per
 *   customer (the earliest kept). A triggered conversion row carries its touch's channel, a base one
 *   a channel of the customer's mix;
 * - conversion values 4 … 8.5 in steps of 0.5 (round(N(6.25, 1.2)) to the half, clamped).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({ options: {
  out: { type: 'string', default: fileURLToPath(new URL('../data/reference/attribution/touchpoint_journeys.csv', import.meta.url)) },
  seed: { type: 'string', default: '2018' },
  customers: { type: 'string', default: '8000' },
} });

export const CHANNELS = ['Facebook', 'Paid Search', 'Online Video', 'Instagram', 'Online Display'];
const SHARE = [0.31, 0.27, 0.19, 0.13, 0.10];
const TRIGGER = [0.030, 0.044, 0.013, 0.024, 0.020];
const BASE = 0.05;
const MEAN_DELAY_DAYS = 2.5;
// Relative weight of each UTC hour 0–23 (roughly the original file's profile).
const HOURS = [9, 3, 2, 1, 1, 5, 10, 22, 30, 40, 50, 49, 52, 45, 41, 39, 33, 32, 33, 30, 29, 29, 22, 16];

const START = Date.UTC(2018, 6, 1);
const END = Date.UTC(2018, 7, 1); // exclusive
const DAY = 86_400_000;

/** mulberry32: a small seeded uniform(0, 1) stream. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(seed, customers) {
  const u = mulberry32(seed);
  const caused = { base: 0, ...Object.fromEntries(CHANNELS.map((c) => [c, 0])) };
  let converting = 0;
  const exp = () => -Math.log(1 - u());
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const poisson = (lambda) => { let k = 0, p = u(); const l = Math.exp(-lambda); while (p > l) { k++; p *= u(); } return k; };
  const pick = (w) => { let r = u() * w.reduce((s, x) => s + x, 0); for (let i = 0; i < w.length; i++) { r -= w[i]; if (r < 0) return i; } return w.length - 1; };
  // A time on the day of `ms` (or later) at a weighted hour, uniform within the hour.
  const atHour = (dayStart) => dayStart + pick(HOURS) * 3_600_000 + Math.floor(u() * 3_600_000);
  const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const value = () => Math.min(8.5, Math.max(4, Math.round((6.25 + 1.2 * normal()) * 2) / 2));

  const lines = ['customer_id,time,interaction,conversion,conversion_value,channel'];
  for (let c = 1; c <= customers; c++) {
    const id = `A${String(c).padStart(6, '0')}`;
    const mix = SHARE.map((s) => s * (exp() + exp() + exp() + exp()));
    const firstDay = Math.floor(30 * u() ** 1.8); // 0 … 29: July 1st … 30th, early days more likely
    const n = Math.min(20, 1 + poisson(6.7));
    const rows = [];
    const conversions = [];
    for (let i = 0; i < n; i++) {
      const day = firstDay + Math.floor(u() * (31 - firstDay));
      const t = atHour(START + day * DAY);
      const ch = pick(mix);
      rows.push({ t, interaction: 'impression', ch });
      if (u() < TRIGGER[ch]) {
        const when = t + exp() * MEAN_DELAY_DAYS * DAY;
        if (when < END) conversions.push({ t: when, ch, cause: CHANNELS[ch] });
      }
    }
    if (u() < BASE) conversions.push({ t: START + u() * (END - START), ch: pick(mix), cause: 'base' });
    conversions.sort((a, b) => a.t - b.t);
    for (const k of conversions.slice(0, 3)) { rows.push({ t: k.t, interaction: 'conversion', ch: k.ch, value: value() }); caused[k.cause]++; }
    if (conversions.length) converting++;
    // Not in time order within a customer (like the original): a seeded shuffle.
    for (let i = rows.length - 1; i > 0; i--) { const j = Math.floor(u() * (i + 1)); [rows[i], rows[j]] = [rows[j], rows[i]]; }
    for (const r of rows) {
      const conv = r.interaction === 'conversion';
      lines.push(`${id},${iso(r.t)},${r.interaction},${conv ? 1 : 0},${conv ? r.value : 0},${CHANNELS[r.ch]}`);
    }
  }
  return { text: lines.join('\n') + '\n', rows: lines.length - 1, converting, caused };
}

const { text, rows, converting, caused } = generate(Number(opts.seed), Number(opts.customers));
if (opts.out === '-') process.stdout.write(text);
else writeFileSync(opts.out, text);
// The truth behind the file: which conversions each channel's touches caused (and the base).
console.error(`${rows} rows, ${opts.customers} customers, ${converting} converting; conversions caused: ${JSON.stringify(caused)}`);
