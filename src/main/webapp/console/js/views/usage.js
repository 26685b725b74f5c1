// Usage: headline numbers, charts over time (all requests, or one line per model, key or provider) and the
// breakdowns, for a range kept in the hash (#/usage?range=7d&by=model). Data: /admin/stats and /admin/stats/series.
import {api} from '../api.js';
import {GREY, PALETTE, chartPanel} from '../chart.js';
import {button, clear, failure, fmt, h, heading, table, tiles, uid} from '../dom.js';

const RANGES = [['1h', 'Last hour', 3600], ['6h', 'Last 6 hours', 6 * 3600], ['24h', 'Last 24 hours', 86400],
  ['7d', 'Last 7 days', 7 * 86400], ['30d', 'Last 30 days', 30 * 86400]];
const GROUPS = [['', 'All requests'], ['model', 'Model'], ['key', 'Key'], ['provider', 'Provider']];
const DEFAULT_RANGE = '24h';
const TOP = 8;
const ERRORS = '#cf222e';

export function render(main, params) {
  const state = {
    range: RANGES.some(r => r[0] === params.get('range')) ? params.get('range') : DEFAULT_RANGE,
    by: GROUPS.some(g => g[0] === params.get('by')) ? params.get('by') : '',
  };
  const body = h('div', {'aria-live': 'polite', 'aria-busy': 'true'}, h('p', {class: 'hint'}, 'Loading…'));
  const pickers = [
    picker('Range', RANGES.map(([v, label]) => [v, label]), state.range, v => change({range: v})),
    picker('Group by', GROUPS, state.by, v => change({by: v})),
  ];
  main.append(heading('Usage', ...pickers, button('Refresh', () => load())), body);
  let charts = [];
  let controller = null;
  let shown = 0;

  function change(next) {
    Object.assign(state, next);
    const query = new URLSearchParams({range: state.range});
    if (state.by) query.set('by', state.by);
    // In place: a hashchange would draw the view again and take the focus off the picker.
    history.replaceState(null, '', `#/usage?${query}`);
    load();
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const mine = ++shown;
    body.setAttribute('aria-busy', 'true');
    const seconds = RANGES.find(r => r[0] === state.range)[2];
    const from = new Date(Date.now() - seconds * 1000).toISOString();
    try {
      const signal = controller.signal;
      const [stats, series] = await Promise.all([
        api('admin/stats', {query: {from, group_by: 'model,key,provider'}, signal}),
        seriesOf(from, state.by, signal),
      ]);
      if (mine !== shown) return;
      destroyCharts();
      charts = chartsOf(series, state.by);
      clear(body).append(
        totals(stats.totals || {}),
        h('div', {class: 'grid charts'}, charts.map(c => c.element)),
        breakdowns(stats));
    } catch (e) {
      if (mine !== shown) return; // replaced by a newer load, or the view was left
      destroyCharts();
      clear(body).append(failure(e));
    } finally {
      if (mine === shown) body.setAttribute('aria-busy', 'false');
    }
  }

  function destroyCharts() {
    charts.forEach(c => c.destroy());
    charts = [];
  }

  load();
  return () => {
    shown += 1;
    controller?.abort();
    destroyCharts();
  };
}

/** A labelled <select> for the view's heading. */
function picker(label, options, value, onChange) {
  const id = uid('picker');
  const select = h('select', {id, on: {change: event => onChange(event.target.value)}},
    options.map(([v, text]) => h('option', {value: v, selected: v === value}, text)));
  return h('span', {class: 'picker'}, h('label', {for: id}, label), select);
}

/** The series with step=auto: minutes up to 6 hours, hours up to 7 days, days beyond (docs/STATS.md). */
function seriesOf(from, by, signal) {
  return api('admin/stats/series', {query: {from, group_by: by || null, step: 'auto'}, signal});
}

function totals(t) {
  const tokens = (t.prompt_tokens || 0) + (t.completion_tokens || 0);
  const priced = t.requests && t.priced_requests < t.requests
    ? h('small', {class: 'tile-note'}, `${fmt.int(t.priced_requests)} of ${fmt.int(t.requests)} priced`) : null;
  return tiles([
    ['Requests', fmt.int(t.requests)],
    ['Success rate', fmt.pct(t.success_rate)],
    ['Tokens', h('span', {}, fmt.int(tokens), h('small', {class: 'tile-note'},
      `${fmt.int(t.prompt_tokens)} prompt + ${fmt.int(t.completion_tokens)} completion`))],
    ['Cost', h('span', {}, fmt.usd(t.cost_usd), priced)],
    ['Latency p50', fmt.ms(t.latency_ms?.p50)],
    ['Latency p95', fmt.ms(t.latency_ms?.p95)],
  ]);
}

// ---- charts ----

function chartsOf(answer, by) {
  const groups = answer.data || [];
  const step = answer.step || 'hour';
  const points = groups[0]?.points || [];
  const xs = points.map(p => Date.parse(p.start) / 1000);
  const base = {xs, step};
  if (!by) {
    const pick = f => points.map(f);
    return [
      chartPanel({...base, title: 'Requests and errors', unit: 'count', sum: true, series: [
        {label: 'Requests', color: PALETTE[0], values: pick(p => p.requests)},
        {label: 'Errors', color: ERRORS, values: pick(p => p.errors)}]}),
      chartPanel({...base, title: 'Tokens', unit: 'count', sum: true, series: [
        {label: 'Prompt', color: PALETTE[0], values: pick(p => p.prompt_tokens)},
        {label: 'Completion', color: PALETTE[1], values: pick(p => p.completion_tokens)}]}),
      chartPanel({...base, title: 'Cost', unit: 'usd', sum: true, series: [
        {label: 'Cost', color: PALETTE[2], values: pick(p => Number(p.cost_usd))}]}),
      chartPanel({...base, title: 'Latency', unit: 'ms', sum: false, series: [
        {label: 'p50', color: PALETTE[0], values: pick(p => p.latency_ms?.p50 ?? null)},
        {label: 'p95', color: PALETTE[1], values: pick(p => p.latency_ms?.p95 ?? null)}]}),
    ];
  }
  const noun = GROUPS.find(g => g[0] === by)[1].toLowerCase();
  const ranked = groups.map(g => ({g, total: g.points.reduce((n, p) => n + p.requests, 0)}))
    .sort((a, b) => b.total - a.total).map(r => r.g);
  const top = ranked.slice(0, TOP);
  const rest = ranked.slice(TOP);
  const restLabel = `${rest.length}${answer.has_more ? '+' : ''} other${rest.length === 1 ? '' : 's'}`;
  const lines = f => [
    ...top.map((g, i) => ({label: groupName(g, by), color: PALETTE[i], values: g.points.map(f)})),
    ...(rest.length ? [{label: restLabel, color: GREY, dash: [4, 4],
      values: xs.map((x, i) => rest.reduce((n, g) => n + f(g.points[i]), 0))}] : []),
  ];
  const errors = xs.map((x, i) => groups.reduce((n, g) => n + g.points[i].errors, 0));
  const more = answer.has_more ? ` The series cover the busiest ${groups.length} groups only.` : '';
  return [
    chartPanel({...base, title: `Requests by ${noun}`, unit: 'count', sum: true,
      note: `The dashed red line is the errors of every ${noun} together.${more}`,
      series: [...lines(p => p.requests), {label: 'Errors (all)', color: ERRORS, dash: [6, 3], values: errors}]}),
    chartPanel({...base, title: `Tokens by ${noun}`, note: 'Prompt and completion tokens together.', unit: 'count',
      sum: true, series: lines(p => p.prompt_tokens + p.completion_tokens)}),
    chartPanel({...base, title: `Cost by ${noun}`, unit: 'usd', sum: true, series: lines(p => Number(p.cost_usd))}),
    // Percentiles of several groups do not combine, so "the rest" has no line here.
    chartPanel({...base, title: `Latency p95 by ${noun}`, unit: 'ms', sum: false,
      note: rest.length ? `The ${TOP} busiest only: percentiles of several groups do not add up.` : null,
      series: top.map((g, i) => ({label: groupName(g, by), color: PALETTE[i],
        values: g.points.map(p => p.latency_ms?.p95 ?? null)}))}),
  ];
}

function groupName(g, by) {
  switch (by) {
    case 'model': return g.model ?? '(no model)';
    case 'provider': return g.provider ?? '(no provider)';
    default: return g.key_name ?? (g.key_id === null || g.key_id === undefined ? '(no key)' : `key ${g.key_id}`);
  }
}

// ---- breakdowns ----

function breakdowns(stats) {
  return h('div', {class: 'breakdowns'},
    breakdown('By model', stats.by_model, {label: 'Model', value: r => logsLink(r.model, {model: r.model})}),
    breakdown('By key', stats.by_key, {label: 'Key', value: r => (r.key_id === null || r.key_id === undefined
      ? fmt.text(r.key_name ?? '(no key)') : logsLink(r.key_name ?? `key ${r.key_id}`, {key_id: r.key_id}))}),
    breakdown('By provider', stats.by_provider, {label: 'Provider',
      value: r => logsLink(r.provider, {provider: r.provider})}));
}

/** A link to the logs of one group; a group with no value (no model, no provider) has no filter to link to. */
function logsLink(text, filter) {
  const value = Object.values(filter)[0];
  if (value === null || value === undefined) return '(none)';
  return h('a', {href: `#/logs?${new URLSearchParams(filter)}`}, String(text));
}

function breakdown(title, part, first) {
  const rows = part?.data || [];
  return [
    h('h2', {}, title),
    table({
      caption: `${title} (the window's requests; a name opens its logs)`,
      columns: [
        first,
        {label: 'Requests', numeric: true, value: r => fmt.int(r.requests)},
        {label: 'Success', numeric: true, value: r => fmt.pct(r.success_rate)},
        {label: 'Tokens', numeric: true, value: r => fmt.int((r.prompt_tokens || 0) + (r.completion_tokens || 0))},
        {label: 'Cost', numeric: true, value: r => fmt.usd(r.cost_usd)},
        {label: 'p50', numeric: true, value: r => fmt.ms(r.latency_ms?.p50)},
        {label: 'p95', numeric: true, value: r => fmt.ms(r.latency_ms?.p95)},
      ],
      rows,
      empty: 'No requests in this window.',
    }),
    part?.has_more ? h('p', {class: 'hint'}, `The busiest ${rows.length} only.`) : null,
  ];
}
