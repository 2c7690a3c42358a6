/** The report's stylesheet: screen first, with print rules (A4, one-page summary, a page per detail section). */
export const styles = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #e3e6ec; --good: #1f7a3f; --good-bg: #e8f5ec; --warn: #8a5a00; --warn-bg: #fff4d6;
  --bad: #a61b1b; --bad-bg: #fde8e8; --accent: #2f6db5; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--fg); background: #f4f5f8; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
header.top { border-bottom: 2px solid var(--fg); padding-bottom: 10px; margin-bottom: 16px; }
header.top .brand { font-size: 0.8rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }
h1 { font-size: 1.6rem; margin: 2px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 0 0 10px; padding-top: 4px; }
h3 { font-size: 1rem; margin: 0 0 6px; }
.meta { color: var(--muted); font-size: 0.88rem; overflow-wrap: anywhere; }
section { margin: 0 0 28px; }
section.detail { border-top: 1px solid var(--line); padding-top: 18px; }
p { margin: 0 0 8px; }
.muted, .caption { color: var(--muted); font-size: 0.85rem; }
.box { border-radius: 6px; padding: 10px 14px; margin: 0 0 14px; border: 2px solid; }
.box h3 { margin-bottom: 4px; }
.box ul { margin: 4px 0 0; padding-left: 20px; }
.box li { margin: 2px 0; }
.box.good { background: var(--good-bg); border-color: var(--good); color: var(--good); }
.box.warn { background: var(--warn-bg); border-color: #d9a21b; color: #5c3d00; }
.box.bad { background: var(--bad-bg); border-color: var(--bad); color: var(--bad); }
.box li.bad { font-weight: 600; color: var(--bad); }
.kpis { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; margin: 0 0 14px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.kpi .label { font-size: 0.78rem; color: var(--muted); }
.kpi .value { font-size: 1.35rem; font-weight: 650; }
.kpi .sub { font-size: 0.78rem; color: var(--muted); }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.chart { width: 100%; height: 300px; }
.chart.small { height: 240px; }
.chart.tall { height: 360px; }
.chart.curves { height: auto; min-height: 244px; }
ul.advice { list-style: none; padding: 0; margin: 0; }
ul.advice li { padding: 3px 0 3px 24px; position: relative; }
/* Direction markers drawn in CSS (no font glyphs): up triangle, down triangle, disc. */
ul.advice li::before { content: ""; position: absolute; left: 4px; top: 0.55em; width: 0; height: 0; }
ul.advice li.more::before { border-left: 6px solid transparent; border-right: 6px solid transparent; border-bottom: 10px solid var(--good); }
ul.advice li.less::before { border-left: 6px solid transparent; border-right: 6px solid transparent; border-top: 10px solid var(--bad); }
ul.advice li.hold::before { width: 10px; height: 10px; border-radius: 50%; background: var(--muted); }
ul.advice b, td.name, th.name { overflow-wrap: anywhere; }
ul.health { list-style: none; padding: 0; margin: 0; }
ul.health li { padding: 3px 0; }
.badge { display: inline-block; min-width: 88px; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; padding: 1px 6px; border-radius: 4px; margin-right: 8px; text-align: center; }
.badge.good { background: var(--good-bg); color: var(--good); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; margin: 0 0 8px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { background: #f6f7f9; font-weight: 600; white-space: normal; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; white-space: normal; min-width: 9em; max-width: 22em; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
.iv { color: var(--muted); font-size: 0.92em; }
tr.flag td { background: var(--bad-bg); }
td.flag { color: var(--bad); font-weight: 700; }
footer { color: var(--muted); font-size: 0.8rem; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 760px) { .cols { grid-template-columns: 1fr; } .kpis { grid-template-columns: repeat(2, 1fr); } }
@page { size: A4; margin: 12mm; }
@media print {
  html { font-size: 11px; }
  body { background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  section.detail { break-before: page; border-top: none; padding-top: 0; }
  .chart { height: 250px; }
  .chart.small { height: 210px; }
  .chart.tall { height: 300px; }
  .box, .kpi, .chart, tr, ul.advice li, ul.health li { break-inside: avoid; }
  thead { display: table-header-group; }
}
`;
