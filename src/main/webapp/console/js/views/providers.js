// Upstream providers: their settings, their key pool (keys masked, with each one's state), a one-click test (a
// one-token request: status and latency), and the built-in ones (echo, the quick start's) shown read-only.
import {api, gatewayUrl, segment} from '../api.js';
import {act, collectionView} from '../collection.js';
import {badge, button, fill, fmt, h, table, toast} from '../dom.js';
import {formDialog, infoDialog} from '../forms.js';

const TYPES = ['openai', 'azure', 'anthropic', 'gemini', 'echo'];

export const render = collectionView({
  title: 'Providers',
  singular: 'provider',
  path: 'admin/providers',
  id: p => p.name,
  intro: 'Upstream keys are shown masked. Leave a masked key as it is to keep it; a change applies to the next request.',
  context: async () => {
    const response = await fetch(gatewayUrl('health'), {cache: 'no-store', credentials: 'omit'});
    return {health: (await response.json()).providers || {}};
  },
  filter: (rows, params, {health}) => {
    const stored = new Set(rows.map(p => p.name));
    const builtIn = Object.entries(health).filter(([name]) => !stored.has(name))
      .map(([name, p]) => ({name, type: name === 'echo' ? 'echo' : 'built in', builtIn: true, base_url: null,
        summary: p.keys, circuits: p.circuits || {}}));
    return [...rows.map(p => ({...p, summary: health[p.name]?.keys})), ...builtIn];
  },
  editable: p => !p.builtIn,
  columns: () => [
    {label: 'Name', value: p => h('span', {}, h('strong', {}, p.name), p.builtIn ? [' ', badge('built in')] : null)},
    {label: 'Type', value: p => p.type},
    {label: 'Base URL', value: p => (p.base_url ? h('code', {}, p.base_url) : '–')},
    {label: 'Keys', value: keysCell},
    {label: 'Circuits', value: p => circuits(p.circuits)},
    {label: 'Last test', value: p => h('span', {id: `test-${p.name}`, class: 'test-result'}, '–')},
  ],
  fields: p => [
    p ? null : {name: 'name', label: 'Name', required: true, help: 'Used in model targets.'},
    {name: 'type', label: 'Type', type: 'select', options: TYPES.map(t => [t, t])},
    {name: 'base_url', label: 'Base URL', help: 'For example https://api.openai.com/v1'},
    {name: 'api_keys', label: 'API keys', type: 'textarea', rows: 3,
      help: 'One per line, all in one pool. A masked key stands for the stored one.'},
    {name: 'options', label: 'Options (JSON)', type: 'json', rows: 3,
      help: 'For example {"api_version": "2024-10-21"} or {"header.X-Team": "a"}; see CONFIG.md.'},
    {name: 'passthrough', label: 'Pass requests through unchanged', type: 'checkbox'},
    {name: 'strip_sk_prefix', label: 'Strip the sk- prefix from keys', type: 'checkbox'},
  ].filter(Boolean),
  body: (values, p) => {
    const body = {...values, name: p ? p.name : values.name, options: values.options || {}};
    body.api_keys = (values.api_keys || '').split('\n').map(s => s.trim()).filter(Boolean);
    if (!body.base_url) delete body.base_url;
    return body;
  },
  editMethod: 'PUT',
  actions: (p, reload) => [
    p.type === 'echo' && p.builtIn ? null
      : button('Test', event => test(p, event.currentTarget), {kind: 'small', ariaLabel: `Test provider ${p.name}`}),
    p.builtIn ? null : button('Keys', () => pool(p, reload), {kind: 'small', ariaLabel: `Keys of provider ${p.name}`}),
  ],
});

function keysCell(p) {
  const s = p.summary;
  if (!s || !s.total) return p.builtIn ? 'none needed' : '–';
  const trouble = (s.disabled || 0) + (s.cooling || 0);
  return h('span', {}, `${fmt.int(s.active)} of ${fmt.int(s.total)} active`, trouble
    ? [' ', badge(`${trouble} out`, s.disabled ? 'bad' : 'warn')] : null);
}

function circuits(states) {
  const open = Object.entries(states || {}).filter(([, state]) => state !== 'closed');
  if (!open.length) return badge('all closed', 'ok');
  return h('span', {}, open.map(([target, state]) => h('span', {}, `${target} `, badge(state, state === 'open'
    ? 'bad' : 'warn'), ' ')));
}

/**
 * One tiny request through the provider, as the request path makes it: its status and latency. The model is the one
 * a model entry sends it; with none, the gateway asks (a 400 naming model) and so does this.
 */
async function test(p, trigger, model) {
  const cell = document.getElementById(`test-${p.name}`);
  trigger.disabled = true;
  cell.textContent = 'testing…';
  try {
    const result = await api(`admin/providers/${segment(p.name)}/test`, {method: 'POST', body: model ? {model} : {}});
    const words = `${result.ok ? 'OK' : 'failed'}${result.status ? ` ${result.status}` : ''}, ${fmt.ms(result.latency_ms)}`;
    fill(cell, badge(words, result.ok ? 'ok' : 'bad'), result.error ? h('br') : null,
      result.error ? h('small', {}, result.error) : null);
    toast(`${p.name}: ${words}${result.error ? ` (${result.error})` : ''}`, result.ok ? 'ok' : 'bad');
  } catch (e) {
    if (e.param === 'model' && !model) {
      cell.textContent = '–';
      trigger.disabled = false;
      const asked = await formDialog({title: `Test ${p.name}`, intro: 'No model entry sends this provider a model '
        + 'name yet. Which upstream model should the test ask for?', submitLabel: 'Test',
      fields: [{name: 'model', label: 'Upstream model', required: true}], onSubmit: async values => values.model});
      if (asked) await test(p, trigger, asked);
      return;
    }
    fill(cell, badge('error', 'bad'), h('br'), h('small', {}, e.message));
    toast(`${p.name}: ${e.message}`, 'bad');
  } finally {
    trigger.disabled = false;
  }
}

/** The key pool: each key masked, with its state, and a button to put a refused or cooling key back at once. */
async function pool(p, reload) {
  const fresh = await api(`admin/providers/${segment(p.name)}`);
  await infoDialog(`Keys of ${p.name}`, table({
    caption: 'Key pool',
    columns: [
      {label: '#', numeric: true, value: k => String(k.index)},
      {label: 'Key', value: k => h('code', {}, k.key)},
      {label: 'State', value: k => badge(k.state, k.state === 'active' ? 'ok' : k.state === 'disabled' ? 'bad' : 'warn')},
      {label: 'In flight', numeric: true, value: k => fmt.int(k.in_flight)},
      {label: 'Successes', numeric: true, value: k => fmt.int(k.successes)},
      {label: 'Failures', numeric: true, value: k => fmt.int(k.failures)},
      {label: 'Why', value: k => fmt.text(k.reason)},
      {label: 'Until', value: k => fmt.time(k.until)},
      {label: '', value: k => (k.state === 'active' ? '' : button('Enable', () => act(`Key ${k.index} enabled.`,
        () => api(`admin/providers/${segment(p.name)}/keys/${k.index}/enable`, {method: 'POST'}), reload),
      {kind: 'small', ariaLabel: `Enable key ${k.index}`}))},
    ],
    rows: fresh.keys || [],
    empty: 'This provider has no keys.',
  }));
}
