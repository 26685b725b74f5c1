// Health: /health (the database, the request-log queue, each provider's key pool and circuits), every 10 seconds
// while shown. /health answers 503 with the same body when the database is down, so the body is read either way.
import {gatewayUrl} from '../api.js';
import {badge, button, clear, fill, fmt, h, heading, table, tiles} from '../dom.js';

const EVERY_MS = 10000;

export function render(main) {
  const body = h('div', {'aria-live': 'polite'});
  const stamp = h('span', {class: 'hint'});
  main.append(heading('Health', stamp, button('Refresh', () => load())), body);
  let timer = null;
  let stopped = false;

  async function load() {
    clearTimeout(timer);
    try {
      const response = await fetch(gatewayUrl('health'), {cache: 'no-store', credentials: 'omit'});
      const health = await response.json();
      if (stopped) return;
      fill(body, show(health));
      stamp.textContent = `Checked ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (stopped) return;
      clear(body).append(h('p', {class: 'error', role: 'alert'}, 'The gateway could not be reached.'));
    }
    if (!stopped) timer = setTimeout(load, EVERY_MS);
  }

  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function show(health) {
  const db = health.database || {};
  const log = health.request_log || {};
  const overall = health.status === 'ok' ? badge('ok', 'ok') : badge(health.status, 'bad');
  return [
    tiles([
      ['Gateway', overall],
      ['Database', h('span', {}, db.status === 'up' ? badge('up', 'ok') : badge(db.status || 'unknown', 'bad'),
        ' ', db.ms === undefined ? '' : `${db.ms} ms`)],
      ['Log queue', fmt.int(log.pending)],
      ['Log rows written', fmt.int(log.written)],
      ['Log rows dropped', log.dropped ? badge(fmt.int(log.dropped), 'bad') : '0'],
      ['Version', fmt.text(health.version)],
    ]),
    db.error ? h('p', {class: 'error'}, `Database: ${db.error}`) : null,
    h('h2', {}, 'Providers'),
    table({
      caption: 'Key pools and circuits per provider',
      columns: [
        {label: 'Provider', value: p => p.name},
        {label: 'Keys active', numeric: true, value: p => `${fmt.int(p.keys.active)} / ${fmt.int(p.keys.total)}`},
        {label: 'Cooling', numeric: true, value: p => fmt.int(p.keys.cooling)},
        {label: 'Disabled', numeric: true, value: p => (p.keys.disabled ? badge(fmt.int(p.keys.disabled), 'bad') : '0')},
        {label: 'Circuits', value: p => circuits(p.circuits)},
      ],
      rows: Object.entries(health.providers || {}).map(([name, p]) => ({name, keys: p.keys || {},
        circuits: p.circuits || {}})),
      empty: 'No providers.',
    }),
  ];
}

/** Each target's breaker: closed is the normal state. */
function circuits(states) {
  const entries = Object.entries(states);
  if (!entries.length) return 'none open';
  return h('span', {class: 'actions'}, entries.map(([target, state]) =>
    h('span', {}, `${target}: `, badge(String(state).toLowerCase(), String(state).toUpperCase() === 'CLOSED' ? 'ok'
      : String(state).toUpperCase() === 'OPEN' ? 'bad' : 'warn'))));
}
