// Client-side chart rendering for the Marginal HTML report. Plain ES2017 JavaScript, no imports: it is
// inlined into the report after the ECharts bundle and reads the JSON blob in #report-data. Every
// string that comes from data is escaped before it is put into tooltip HTML; canvas text needs none.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#2f6db5', '#e07b39', '#3a9d5d', '#c44e52', '#8172b3', '#937860', '#da8bc3', '#4bacc6', '#b5a33a', '#6b6b6b'];
  var baseColor = '#b9bec7';
  var compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function amt(x) { return x === null || !isFinite(x) ? '–' : compact.format(x); }
  function ratio(x) { return x === null || !isFinite(x) ? '–' : x.toFixed(data.kind === 'revenue' ? 2 : 3); }
  function pct(x) { return x === null || !isFinite(x) ? '–' : (100 * x).toFixed(1) + '%'; }
  function dot(color) { return '<span style="display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px;background:' + color + '"></span>'; }
  function color(i) { return palette[i % palette.length]; }

  var text = { color: '#222', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };
  var charts = [];
  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'canvas', devicePixelRatio: Math.max(2, window.devicePixelRatio || 1) });
    option.animation = false;
    option.textStyle = text;
    chart.setOption(option);
    charts.push(chart);
  }
  var names = data.channels.map(function (c) { return c.name; });
  var many = names.length > 6;
  var roiEl = document.getElementById('chart-roi');
  var band = Math.max(40, ((roiEl ? roiEl.clientWidth : 500) - 80) / Math.max(1, names.length) - 10);
  var catAxis = { type: 'category', data: names, axisLabel: { interval: 0, rotate: many ? 30 : 0, width: many ? 90 : band, overflow: 'truncate' }, axisTick: { alignWithLabel: true } };

  // What drove the outcome: base and each channel as a share of the predicted outcome.
  (function () {
    var rows = [{ name: 'Base (no media)', value: data.base, share: data.baseShare, color: baseColor }].concat(
      data.channels.map(function (c, i) { return { name: c.name, value: c.contribution, share: c.shareOfPredicted, color: color(i) }; })
        .sort(function (a, b) { return b.value - a.value; }));
    rows.reverse();
    make('chart-drivers', {
      grid: { left: 136, right: 56, top: 4, bottom: 4 },
      tooltip: { trigger: 'item', formatter: function (p) { var r = rows[p.dataIndex]; return dot(r.color) + esc(r.name) + ': ' + amt(r.value) + ' (' + pct(r.share) + ')'; } },
      xAxis: { type: 'value', axisLabel: { show: false }, splitLine: { show: false } },
      yAxis: { type: 'category', data: rows.map(function (r) { return r.name; }), axisLabel: { width: 124, overflow: 'truncate' }, axisTick: { show: false } },
      series: [{ type: 'bar', barWidth: '60%', data: rows.map(function (r) { return { value: r.value, itemStyle: { color: r.color } }; }),
        label: { show: true, position: 'right', formatter: function (p) { return pct(rows[p.dataIndex].share); } } }]
    });
  })();

  // ROI and marginal ROI per channel, bars with 90% interval error bars.
  (function () {
    var w = 0.3, offset = (w + 0.2 * w) / 2; // barWidth 30% of the band, barGap 20% of a bar
    function errorBars(key, sign, name) {
      return {
        type: 'custom', name: name, z: 10, tooltip: { show: false },
        data: data.channels.map(function (c, i) { return [i, c[key + 'Lo'], c[key + 'Hi']]; }),
        renderItem: function (params, api) {
          var band = api.size([1, 0])[0], dx = sign * offset * band, cap = Math.max(3, band * 0.06);
          var lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
          var x = lo[0] + dx, st = { stroke: '#222', lineWidth: 1.5 };
          return { type: 'group', children: [
            { type: 'line', shape: { x1: x, y1: lo[1], x2: x, y2: hi[1] }, style: st },
            { type: 'line', shape: { x1: x - cap, y1: lo[1], x2: x + cap, y2: lo[1] }, style: st },
            { type: 'line', shape: { x1: x - cap, y1: hi[1], x2: x + cap, y2: hi[1] }, style: st }
          ] };
        },
        encode: { x: 0, y: [1, 2] }
      };
    }
    var threshold = data.threshold;
    var roiName = data.kind === 'revenue' ? 'ROI' : 'Conv. per unit', mroiName = data.kind === 'revenue' ? 'Marginal ROI' : 'Marginal conv. per unit';
    make('chart-roi', {
      grid: { left: 8, right: 84, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, data: [roiName, mroiName] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (ps) {
        var c = data.channels[ps[0].dataIndex];
        var iv = ' (' + esc(data.intervalName || '90%') + ': ';
        return '<b>' + esc(c.name) + '</b><br>' + dot('#2f6db5') + roiName + ' ' + ratio(c.roi) + iv + ratio(c.roiLo) + '–' + ratio(c.roiHi) + ')<br>'
          + dot('#9ec3ea') + mroiName + ' ' + ratio(c.mroi) + iv + ratio(c.mroiLo) + '–' + ratio(c.mroiHi) + ')';
      } },
      xAxis: catAxis,
      yAxis: { type: 'value', name: data.kind === 'revenue' ? 'return per unit spent' : 'conversions per unit spent', nameTextStyle: { align: 'left' }, splitLine: { lineStyle: { color: '#eee' } } },
      series: [
        { type: 'bar', name: roiName, barWidth: w * 100 + '%', barGap: '20%', itemStyle: { color: '#2f6db5' }, data: data.channels.map(function (c) { return c.roi; }),
          markLine: isFinite(threshold) ? { silent: true, symbol: 'none', lineStyle: { color: '#c0392b', type: 'dashed', width: 1.5 },
            label: { formatter: data.kind === 'revenue' ? 'break-even' : 'average', position: 'end', color: '#c0392b' }, data: [{ yAxis: threshold }] } : undefined },
        { type: 'bar', name: mroiName, barWidth: w * 100 + '%', itemStyle: { color: '#9ec3ea' }, data: data.channels.map(function (c) { return c.mroi; }) },
        errorBars('roi', -1, roiName),
        errorBars('mroi', 1, mroiName)
      ]
    });
  })();

  var s = data.series;
  var holdoutArea = s.holdoutPeriods > 0 ? { silent: true, itemStyle: { color: 'rgba(120,120,120,0.10)' }, label: { color: '#666', position: 'insideTop' },
    data: [[{ name: 'holdout', xAxis: s.dates[s.dates.length - s.holdoutPeriods] }, { xAxis: s.dates[s.dates.length - 1] }]] } : undefined;
  var timeAxis = { type: 'category', data: s.dates, boundaryGap: false, axisLabel: { hideOverlap: true } };
  var valueAxis = { type: 'value', axisLabel: { formatter: amt }, splitLine: { lineStyle: { color: '#eee' } } };

  // Contribution over time: base plus each channel, stacked.
  (function () {
    var layers = [{ name: 'Base (no media)', values: s.base, color: baseColor }].concat(
      s.contributions.map(function (c, i) { return { name: c.name, values: c.values, color: color(i) }; }));
    make('chart-contrib', {
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll', data: layers.map(function (l) { return l.name; }) },
      tooltip: { trigger: 'axis', formatter: function (ps) {
        var t = ps[0].dataIndex, out = esc(s.dates[t]);
        for (var i = layers.length - 1; i >= 0; i--) out += '<br>' + dot(layers[i].color) + esc(layers[i].name) + ': ' + amt(layers[i].values[t]);
        return out + '<br>Predicted total: ' + amt(s.predicted[t]);
      } },
      xAxis: timeAxis, yAxis: valueAxis,
      series: layers.map(function (l) {
        return { type: 'line', name: l.name, stack: 'total', symbol: 'none', lineStyle: { width: 0.5 }, areaStyle: { opacity: 0.85 }, itemStyle: { color: l.color }, data: l.values };
      })
    });
  })();

  // Actual vs predicted, with the 90% band when the fit has one (Bayesian fits; classic fits have none).
  (function () {
    var banded = !!(s.low && s.high);
    var series = [
      { type: 'line', name: 'Predicted', symbol: 'none', itemStyle: { color: '#2f6db5' }, lineStyle: { width: 2 }, data: s.predicted },
      { type: 'line', name: 'Actual', symbol: 'circle', symbolSize: 4, itemStyle: { color: '#222' }, lineStyle: { width: 1, color: '#222' }, data: s.actual }
    ];
    if (banded) {
      series.unshift(
        { type: 'line', name: 'band-low', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: s.low, markArea: holdoutArea },
        { type: 'line', name: '90% band', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: '#9ec3ea' }, areaStyle: { color: '#9ec3ea', opacity: 0.6 },
          data: s.high.map(function (h, t) { return h - s.low[t]; }) });
    } else {
      series[0].markArea = holdoutArea;
    }
    make('chart-fit', {
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, data: banded ? ['Actual', 'Predicted', '90% band'] : ['Actual', 'Predicted'] },
      tooltip: { trigger: 'axis', formatter: function (ps) {
        var t = ps[0].dataIndex;
        return esc(s.dates[t]) + (s.holdoutPeriods > 0 && t >= s.dates.length - s.holdoutPeriods ? ' (holdout)' : '')
          + '<br>' + dot('#222') + 'Actual: ' + amt(s.actual[t]) + '<br>' + dot('#2f6db5') + 'Predicted: ' + amt(s.predicted[t])
          + (banded ? ' (90%: ' + amt(s.low[t]) + '–' + amt(s.high[t]) + ')' : '');
      } },
      xAxis: timeAxis, yAxis: Object.assign({}, valueAxis, { scale: true }),
      series: series
    });
  })();

  // Share of spend vs share of effect.
  (function () {
    make('chart-share', {
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, data: ['Share of spend', 'Share of effect'] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (ps) {
        var c = data.channels[ps[0].dataIndex];
        return '<b>' + esc(c.name) + '</b><br>' + dot('#8c8c8c') + 'Share of spend: ' + pct(c.shareOfSpend) + '<br>' + dot('#3a9d5d') + 'Share of effect: ' + pct(c.shareOfEffect);
      } },
      xAxis: catAxis,
      yAxis: { type: 'value', axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } }, splitLine: { lineStyle: { color: '#eee' } } },
      series: [
        { type: 'bar', name: 'Share of spend', itemStyle: { color: '#8c8c8c' }, data: data.channels.map(function (c) { return c.shareOfSpend; }) },
        { type: 'bar', name: 'Share of effect', itemStyle: { color: '#3a9d5d' }, data: data.channels.map(function (c) { return c.shareOfEffect; }) }
      ]
    });
  })();

  // Response curves: expected incremental outcome vs spend per channel, band, current and break-even points.
  (function () {
    if (!data.curves || !data.curves.length) return;
    var series = [];
    data.curves.forEach(function (c, i) {
      var col = color(i);
      series.push({ type: 'line', name: c.channel, showSymbol: false, lineStyle: { width: 2, color: col }, itemStyle: { color: col },
        data: c.points.map(function (p) { return [p.spend, p.expected]; }),
        markPoint: { symbolSize: 12, label: { show: false }, data: [{ coord: [c.current.spend, c.current.expected], symbol: 'circle', itemStyle: { color: col }, name: 'current' }]
          .concat(c.breakEven ? [{ coord: [c.breakEven.spend, c.breakEven.expected], symbol: 'diamond', itemStyle: { color: '#fff', borderColor: col, borderWidth: 2 }, name: 'break-even' }] : []) } });
      ['low', 'high'].forEach(function (k) {
        series.push({ type: 'line', name: c.channel, showSymbol: false, silent: true, lineStyle: { width: 1, type: 'dashed', color: col, opacity: 0.5 },
          data: c.points.map(function (p) { return [p.spend, p[k]]; }) });
      });
    });
    make('chart-curves', {
      grid: { left: 8, right: 24, top: 36, bottom: 30, containLabel: true },
      legend: { top: 0, type: 'scroll', data: data.curves.map(function (c) { return c.channel; }) },
      tooltip: { trigger: 'item', formatter: function (p) {
        if (p.componentType === 'markPoint') return dot(p.color) + esc(p.seriesName) + ' ' + esc(p.name) + ': spend ' + amt(p.data.coord[0]) + ', ' + amt(p.data.coord[1]);
        return dot(p.color) + esc(p.seriesName) + ': spend ' + amt(p.value[0]) + ' → ' + amt(p.value[1]);
      } },
      xAxis: { type: 'value', name: 'spend', nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: amt }, splitLine: { lineStyle: { color: '#eee' } } },
      yAxis: { type: 'value', axisLabel: { formatter: amt }, splitLine: { lineStyle: { color: '#eee' } } },
      series: series
    });
  })();

  // Search fits: the Pareto front (NRMSE vs DECOMP.RSSD), coloured by cluster, recommended models marked.
  (function () {
    var pts = data.pareto;
    if (!pts || !pts.length) return;
    var clusters = [];
    pts.forEach(function (p) { if (clusters.indexOf(p.cluster) < 0) clusters.push(p.cluster); });
    clusters.sort(function (a, b) { return a - b; });
    function tip(p) {
      return 'Cluster ' + p.cluster + (p.chosen ? ' · recommended (this report)' : p.recommended ? ' · recommended for its cluster' : '')
        + '<br>NRMSE ' + p.nrmse.toFixed(4) + '<br>DECOMP.RSSD ' + p.decompRssd.toFixed(4) + '<br>front ' + p.front + ', λ ' + p.lambda.toPrecision(3);
    }
    make('chart-pareto', {
      grid: { left: 8, right: 24, top: 36, bottom: 30, containLabel: true },
      legend: { top: 0, data: clusters.map(function (c) { return 'Cluster ' + c; }) },
      tooltip: { trigger: 'item', formatter: function (p) { return tip(p.data.p); } },
      xAxis: { type: 'value', name: 'NRMSE (prediction error)', nameLocation: 'middle', nameGap: 24, scale: true, splitLine: { lineStyle: { color: '#eee' } } },
      yAxis: { type: 'value', name: 'DECOMP.RSSD (effect vs spend share)', nameTextStyle: { align: 'left' }, scale: true, splitLine: { lineStyle: { color: '#eee' } } },
      series: clusters.map(function (c, i) {
        return { type: 'scatter', name: 'Cluster ' + c, itemStyle: { color: color(i) },
          data: pts.filter(function (p) { return p.cluster === c; }).map(function (p) {
            return { value: [p.nrmse, p.decompRssd], p: p, symbol: p.recommended ? 'diamond' : 'circle', symbolSize: p.chosen ? 18 : p.recommended ? 13 : 8,
              itemStyle: p.recommended ? { color: color(i), borderColor: '#222', borderWidth: p.chosen ? 2 : 1 } : { color: color(i), opacity: 0.75 } };
          }) };
      })
    });
  })();

  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('resize', resizeAll);
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  if (window.matchMedia) {
    var mq = window.matchMedia('print');
    if (mq.addEventListener) mq.addEventListener('change', resizeAll); else if (mq.addListener) mq.addListener(resizeAll);
  }
  window.__marginalCharts = charts;
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
