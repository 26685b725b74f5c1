// A time chart in a panel: uPlot (window.uPlot, a canvas) drawn at its container's width and redrawn when that
// changes, with what it shows in words (the plot's aria-label) and as a table on request, for a screen reader or
// anyone who wants the numbers. uPlot styles its own elements through the CSSOM, which the CSP allows.
import {h, table, uid} from './dom.js';

/** Line colours, told apart by hue and lightness, none of them the errors' red; the rest of the groups is grey. */
export const PALETTE = ['#1f77b4', '#e8710a', '#1a7f37', '#9467bd', '#b58900', '#8c564b', '#e377c2', '#17becf'];
export const GREY = '#8c959f';

const compact = new Intl.NumberFormat(undefined, {notation: 'compact', maximumFractionDigits: 1});
const plain = new Intl.NumberFormat(undefined, {maximumFractionDigits: 1});

/** Short numbers for axes and legends, by what a chart counts. */
export const units = {
  count: v => (v === null || v === undefined ? '–' : Math.abs(v) < 10000 ? plain.format(v) : compact.format(v)),
  usd: v => {
    if (v === null || v === undefined) return '–';
    const a = Math.abs(v);
    if (a === 0) return '$0';
    if (a < 0.01) return `$${Number(v.toPrecision(2))}`;
    return a < 1000 ? `$${v.toFixed(2)}` : `$${compact.format(v)}`;
  },
  ms: v => {
    if (v === null || v === undefined) return '–';
    if (v >= 10000) return `${plain.format(v / 1000)} s`;
    return v < 10 && v !== 0 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
  },
};

/** A point's time as people read it: to the minute, or the date alone for days. */
export function when(seconds, step) {
  const d = new Date(seconds * 1000);
  return step === 'day' ? d.toLocaleDateString() : d.toLocaleString(undefined, {dateStyle: 'short',
    timeStyle: 'short'});
}

/**
 * A panel with a heading, the plot and its table. xs: times in seconds; series: [{label, values, color, dash}];
 * unit: one of units' keys; sum: whether the values add up over time (counts, cost) or not (latency). Answers
 * {element, destroy}; the plot is made once the element is in the page and has a width.
 */
export function chartPanel({title, note, xs, series, unit, sum, step}) {
  const format = units[unit];
  const titleId = uid('chart');
  const plot = h('div', {class: 'chart-plot', role: 'img', 'aria-label': `${title}. ${summary(xs, series, format,
    sum, step)}`});
  const details = h('details', {class: 'chart-data'}, h('summary', {}, 'Show the numbers'));
  details.addEventListener('toggle', () => {
    if (details.open && details.children.length === 1) details.append(dataTable(title, xs, series, format, step));
  }, {once: false});
  const element = h('section', {class: 'panel chart', 'aria-labelledby': titleId},
    h('h2', {id: titleId}, title), note ? h('p', {class: 'hint'}, note) : null, plot, details);

  if (!xs.length || !series.length) {
    plot.append(h('p', {class: 'hint'}, 'No requests in this window.'));
    return {element, destroy() {}};
  }
  if (typeof window.uPlot !== 'function') {
    plot.append(h('p', {class: 'hint'}, 'The chart library did not load; the numbers are below.'));
    return {element, destroy() {}};
  }
  let chart = null;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(plot.clientWidth);
    if (width <= 0) return;
    const height = width < 480 ? 200 : 240;
    if (!chart) chart = new window.uPlot(options(series, format, width, height), [xs, ...series.map(s => s.values)],
      plot);
    else if (chart.width !== width || chart.height !== height) chart.setSize({width, height});
  });
  observer.observe(plot);
  return {
    element,
    destroy() {
      observer.disconnect();
      chart?.destroy();
      chart = null;
    },
  };
}

function options(series, format, width, height) {
  return {
    width,
    height,
    padding: [null, 28, null, null], // room for the last time label at the right edge
    scales: {x: {time: true}, y: {range: (u, min, max) => [0, max > 0 ? max * 1.08 : 1]}},
    series: [
      {},
      ...series.map(s => ({label: s.label, stroke: s.color, width: 2, dash: s.dash, points: {show: false},
        value: (u, v) => format(v)})),
    ],
    axes: [
      {stroke: '#57606a', grid: {stroke: '#eaeef2'}, ticks: {stroke: '#d0d7de'}},
      {stroke: '#57606a', grid: {stroke: '#eaeef2'}, ticks: {stroke: '#d0d7de'},
        values: (u, splits) => splits.map(format), size: axisSize},
    ],
    legend: {live: true},
    cursor: {drag: {x: false, y: false}},
  };
}

/** The y axis as wide as its longest label (uPlot's fixed 50 px cuts "$0.0012" and the like). */
function axisSize(u, values, axisIdx, cycleNum) {
  const axis = u.axes[axisIdx];
  if (cycleNum > 1) return axis._size;
  let size = axis.ticks.size + axis.gap;
  const longest = (values || []).reduce((a, v) => (v.length > a.length ? v : a), '');
  if (longest) {
    u.ctx.font = axis.font[0];
    size += u.ctx.measureText(longest).width / window.devicePixelRatio;
  }
  return Math.ceil(size);
}

/** The chart in a sentence per line: a total and the peak for counts, the highest value for latency. */
function summary(xs, series, format, sum, step) {
  if (!xs.length) return 'No data.';
  const span = `From ${when(xs[0], step)} to ${when(xs[xs.length - 1], step)}.`;
  const lines = series.map(s => {
    let peak = null;
    let at = 0;
    let total = 0;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      total += v;
      if (peak === null || v > peak) {
        peak = v;
        at = i;
      }
    });
    if (peak === null) return `${s.label}: no data.`;
    const top = `highest ${format(peak)} at ${when(xs[at], step)}`;
    return sum ? `${s.label}: ${format(total)} in all, ${top}.` : `${s.label}: ${top}.`;
  });
  return [span, ...lines].join(' ');
}

function dataTable(title, xs, series, format, step) {
  const rows = xs.map((x, i) => ({x, i}));
  return table({
    caption: title,
    columns: [{label: 'Time', value: r => when(r.x, step)},
      ...series.map(s => ({label: s.label, numeric: true, value: r => format(s.values[r.i])}))],
    rows,
    empty: 'No data.',
  });
}
