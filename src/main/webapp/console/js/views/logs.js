// Logs: the request log, newest first, filtered by what the hash holds (#/logs?status=5xx&model=x, so a filter
// survives a reload and can be linked to) and paged with Newer/Older. A row opens the request's details, with its
// upstream attempts and, where LOG_BODIES kept them, its request and response bodies.
import {api, listAll} from '../api.js';
import {badge, button, clear, failure, fill, fmt, h, heading, table, uid} from '../dom.js';
import {infoDialog} from '../forms.js';

const FILTERS = ['from', 'to', 'key_id', 'user_id', 'model', 'provider', 'status', 'limit'];
const STATUSES = [['', 'Any'], ['2xx', '2xx (success)'], ['4xx', '4xx (refused)'], ['5xx', '5xx (failed)'],
  ['400', '400 Bad request'], ['401', '401 Unauthorized'], ['403', '403 Forbidden'], ['404', '404 Not found'],
  ['408', '408 Timeout'], ['429', '429 Too many requests'], ['500', '500 Server error'], ['502', '502 Bad gateway'],
  ['503', '503 Unavailable'], ['504', '504 Gateway timeout']];
const LIMITS = ['25', '50', '100', '200'];
const DEFAULT_LIMIT = '50';

export async function render(main, params) {
  let filters = read(params);
  const keys = listAll('admin/keys').catch(() => null);
  const list = h('div', {'aria-busy': 'true'}, h('p', {class: 'hint'}, 'Loading…'));
  const where = h('span', {class: 'hint', role: 'status'});
  const older = button('Older', () => turn(1));
  const newer = button('Newer', () => turn(-1));
  const form = filterForm(filters, await keys, next => {
    filters = next;
    // A new history entry, drawn in place: Back returns to the previous filters through the router.
    history.pushState(null, '', `#/logs${query(filters)}`);
    restart();
  });
  main.append(heading('Logs', button('Refresh', () => restart())), form, list,
    h('nav', {class: 'pager', 'aria-label': 'Pages'}, where, newer, older));

  // cursors[i] is the `after` of page i (null: the newest rows).
  let cursors = [null];
  let page = 0;
  let hasMore = false;
  let controller = null;

  function restart() {
    cursors = [null];
    page = 0;
    load();
  }

  function turn(by) {
    page += by;
    load();
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const mine = controller;
    older.disabled = true;
    newer.disabled = true;
    list.setAttribute('aria-busy', 'true');
    try {
      const answer = await api('admin/logs', {query: {...filters, after: cursors[page]}, signal: mine.signal});
      if (mine !== controller) return;
      hasMore = Boolean(answer.has_more);
      if (hasMore) cursors[page + 1] = answer.next;
      clear(list).append(rowsTable(answer.data || []));
      const rows = answer.data?.length || 0;
      where.textContent = `Page ${page + 1}, ${rows} row${rows === 1 ? '' : 's'}`;
    } catch (e) {
      if (mine !== controller) return;
      hasMore = false;
      clear(list).append(failure(e));
      where.textContent = '';
    } finally {
      if (mine === controller) {
        list.setAttribute('aria-busy', 'false');
        settle();
      }
    }
  }

  /** Enables the pager's buttons; a focused one that can no longer be used hands the focus to the other. */
  function settle() {
    const focused = document.activeElement;
    older.disabled = !hasMore;
    newer.disabled = page === 0;
    if (focused === older && older.disabled && !newer.disabled) newer.focus();
    if (focused === newer && newer.disabled && !older.disabled) older.focus();
  }

  load();
  return () => {
    controller?.abort();
    controller = null;
  };
}

function read(params) {
  const filters = {};
  for (const name of FILTERS) {
    const value = (params.get(name) || '').trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function query(filters) {
  const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  return q.size ? `?${q}` : '';
}

// ---- the filters ----

/** The filter form: labelled controls, Apply (or Enter) and Clear; onApply gets the filters it holds. */
function filterForm(filters, keys, onApply) {
  const error = h('p', {class: 'error', role: 'alert'});
  const controls = {
    from: h('input', {type: 'datetime-local', value: localInput(filters.from)}),
    to: h('input', {type: 'datetime-local', value: localInput(filters.to)}),
    key_id: keys ? choice([['', 'Any'], ...keys.map(k => [String(k.id), `${k.name} (${k.id})`])], filters.key_id)
      : h('input', {type: 'number', min: 1, step: 1, inputmode: 'numeric', value: filters.key_id || ''}),
    user_id: h('input', {type: 'number', min: 1, step: 1, inputmode: 'numeric', value: filters.user_id || ''}),
    model: h('input', {type: 'text', spellcheck: 'false', autocomplete: 'off', value: filters.model || ''}),
    provider: h('input', {type: 'text', spellcheck: 'false', autocomplete: 'off', value: filters.provider || ''}),
    status: choice(STATUSES, filters.status),
    limit: choice(LIMITS.map(n => [n, n]), filters.limit || DEFAULT_LIMIT),
  };
  const labels = {from: 'From', to: 'To', key_id: keys ? 'Key' : 'Key id', user_id: 'User id', model: 'Model',
    provider: 'Provider', status: 'Status', limit: 'Rows per page'};
  const form = h('form', {class: 'filters', 'aria-label': 'Filters', novalidate: true},
    Object.entries(controls).map(([name, control]) => {
      control.id = uid(name);
      control.name = name;
      return h('div', {class: 'field'}, h('label', {for: control.id}, labels[name]), control);
    }),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Apply'),
      button('Clear', () => onApply({}))),
    error);
  form.addEventListener('submit', event => {
    event.preventDefault();
    error.textContent = '';
    const next = {};
    for (const [name, control] of Object.entries(controls)) {
      const value = control.value.trim();
      if (!value || (name === 'limit' && value === DEFAULT_LIMIT)) continue;
      if (name === 'from' || name === 'to') {
        const at = new Date(value);
        if (Number.isNaN(at.getTime())) {
          error.textContent = `${labels[name]}: not a date and time.`;
          control.focus();
          return;
        }
        next[name] = at.toISOString();
      } else {
        next[name] = value;
      }
    }
    onApply(next);
  });
  return form;
}

/** A <select>; a value from the hash that is not among the options (status=418, a deleted key) is added. */
function choice(options, value = '') {
  const all = options.some(([v]) => v === value) ? options : [...options, [value, value]];
  return h('select', {}, all.map(([v, label]) => h('option', {value: v, selected: v === value}, label)));
}

/** An ISO instant as a datetime-local input's value, in the browser's time zone ('' for none or nonsense). */
function localInput(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// ---- the rows ----

function statusBadge(status) {
  if (status === null || status === undefined) return badge('–');
  return badge(String(status), status < 400 ? 'ok' : status < 500 ? 'warn' : 'bad');
}

function tokens(r) {
  if (r.prompt_tokens === null && r.completion_tokens === null) return '–';
  return fmt.int((r.prompt_tokens || 0) + (r.completion_tokens || 0));
}

function rowsTable(rows) {
  return table({
    caption: 'Requests, newest first (a row opens its details)',
    columns: [
      {label: 'Time', value: r => h('time', {datetime: r.ts}, fmt.time(r.ts))},
      {label: 'Status', value: r => statusBadge(r.status)},
      {label: 'Model', value: r => fmt.text(r.model)},
      {label: 'Provider', value: r => fmt.text(r.provider)},
      {label: 'Key', value: r => fmt.text(r.key_name)},
      {label: 'Latency', numeric: true, value: r => fmt.ms(r.latency_ms)},
      {label: 'Tokens', numeric: true, value: tokens},
      {label: 'Cost', numeric: true, value: r => fmt.usd(r.cost_usd)},
      {label: 'Request id', value: r => h('code', {}, fmt.text(r.request_id))},
    ],
    rows,
    empty: 'No requests match these filters.',
    onRow: details,
    rowLabel: r => `${fmt.time(r.ts)}, status ${r.status}, ${r.model || 'no model'}: open request ${r.request_id}`,
  });
}

// ---- one request ----

const SHOWN_APART = new Set(['object', 'attempt_log', 'request_body', 'response_body']);

async function details(row) {
  const body = h('div', {'aria-busy': 'true'}, h('p', {class: 'hint'}, 'Loading…'));
  infoDialog(`Request ${row.request_id || row.id}`, body);
  let full = row;
  let problem = null;
  if (row.request_id) {
    try {
      full = await api(`admin/logs/${encodeURIComponent(row.request_id)}`);
    } catch (e) {
      problem = failure(e);
    }
  }
  fill(body, problem, requestDetails(full));
  body.setAttribute('aria-busy', 'false');
}

function requestDetails(r) {
  const fields = Object.entries(r).filter(([name]) => !SHOWN_APART.has(name));
  const bodiesKept = r.request_body !== null && r.request_body !== undefined
    || r.response_body !== null && r.response_body !== undefined;
  return [
    h('dl', {class: 'details'}, fields.map(([name, value]) => [h('dt', {}, name), h('dd', {}, show(name, value))])),
    h('h3', {}, 'Upstream attempts'),
    attempts(r.attempt_log),
    ...(bodiesKept ? [h('h3', {}, 'Request body'), bodyBlock(r.request_body, 'Request body'),
      h('h3', {}, 'Response body'), bodyBlock(r.response_body, 'Response body')]
      : [h('h3', {}, 'Bodies'), h('p', {class: 'hint'}, 'No bodies stored for this request: the gateway keeps them'
        + ' only with LOG_BODIES=true (and not for requests logged before that).')]),
  ];
}

function show(name, value) {
  if (value === null || value === undefined || value === '') return '–';
  if (name === 'ts') return h('time', {datetime: value}, `${fmt.time(value)} (${value})`);
  if (name === 'status') return statusBadge(value);
  if (name === 'cost_usd') return `$${value}`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return h('code', {}, JSON.stringify(value));
  return String(value);
}

/** The attempt log as a table of its entries' fields (provider, model, key, status, ms, error). */
function attempts(log) {
  if (!Array.isArray(log) || !log.length) {
    return h('p', {class: 'hint'}, 'One upstream call, which succeeded (or none): no attempt log.');
  }
  const names = [...new Set(log.flatMap(a => (a && typeof a === 'object' ? Object.keys(a) : [])))];
  return table({
    caption: 'Each upstream call, in order',
    columns: [{label: '#', numeric: true, value: a => String(log.indexOf(a) + 1)},
      ...names.map(n => ({label: n, numeric: typeof log[0]?.[n] === 'number', value: a => show(n, a?.[n])}))],
    rows: log,
  });
}

/** A body as pretty-printed JSON when it parses, else as the text it is (an SSE stream, say). */
function bodyBlock(text, label) {
  if (text === null || text === undefined) return h('p', {class: 'hint'}, 'None stored.');
  let shown = String(text);
  try {
    shown = JSON.stringify(JSON.parse(shown), null, 2);
  } catch (ignored) {
    // not JSON: shown as it is
  }
  // Focusable, so a keyboard can scroll a long body.
  return h('pre', {class: 'body', tabindex: 0, 'aria-label': label}, shown);
}
