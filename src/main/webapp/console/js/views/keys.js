// Client keys: create (the secret shown once, with a copy button), rotate, revoke, edit limits, quotas and allowed
// models, and each key's use over the last 24 hours.
import {api, listAll} from '../api.js';
import {act, collectionView} from '../collection.js';
import {badge, button, fmt, h, toast} from '../dom.js';
import {confirmDialog, formDialog, infoDialog} from '../forms.js';

const LIMITS = ['rpm', 'rph', 'tpm'];

export const render = collectionView({
  title: 'Keys',
  singular: 'key',
  path: 'admin/keys',
  id: key => key.id,
  intro: 'Client keys are stored hashed: a key\'s secret is shown once, when it is made or rotated.',
  context: async () => {
    const [users, stats] = await Promise.all([listAll('admin/users'), api('admin/stats', {query: {group_by: 'key'}})]);
    return {
      users: new Map(users.map(u => [u.id, u])),
      usage: new Map(stats.by_key.data.filter(r => r.key_id !== null).map(r => [r.key_id, r])),
    };
  },
  columns: ({users, usage}) => [
    {label: 'Name', value: k => h('span', {}, h('strong', {}, k.name), h('br'), h('code', {}, k.prefix))},
    {label: 'State', value: state},
    {label: 'User', value: k => (k.user_id === null ? '–' : users.get(k.user_id)?.name ?? `#${k.user_id}`)},
    {label: 'Models', value: k => (k.models.length ? k.models.join(', ') : 'all')},
    {label: 'Limits', value: limits},
    {label: 'Quota', value: quota},
    {label: 'Requests 24 h', numeric: true, value: k => fmt.int(usage.get(k.id)?.requests ?? 0)},
    {label: 'Tokens 24 h', numeric: true, value: k => fmt.int(tokens(usage.get(k.id)))},
    {label: 'Cost 24 h', numeric: true, value: k => fmt.usd(usage.get(k.id)?.cost_usd ?? 0)},
    {label: 'Logs', value: k => h('a', {href: `#/logs?key_id=${encodeURIComponent(k.id)}`,
      'aria-label': `Logs of key ${k.name}`}, 'Logs')},
  ],
  fields: (key, {users}) => [
    {name: 'name', label: 'Name', required: true},
    {name: 'user_id', label: 'User', type: 'select',
      options: [['', 'No user'], ...[...users.values()].map(u => [u.id, u.name])]},
    {name: 'models', label: 'Allowed models', type: 'list', help: 'Names or patterns (gpt-4o*), comma separated; empty: all.'},
    {name: 'ip_allow', label: 'Allowed addresses', type: 'list', help: 'Addresses or CIDR ranges; empty: any.'},
    {name: 'rpm', label: 'Requests per minute', type: 'number'},
    {name: 'rph', label: 'Requests per hour', type: 'number'},
    {name: 'tpm', label: 'Tokens per minute', type: 'number'},
    {name: 'token_quota', label: 'Token quota', type: 'number'},
    {name: 'budget_usd', label: 'Budget (USD)', type: 'number'},
    {name: 'quota_period', label: 'Quota period', type: 'select',
      options: [['', 'Never resets'], ['day', 'Day'], ['week', 'Week'], ['month', 'Month']]},
    {name: 'expires_at', label: 'Expires', type: 'datetime'},
    {name: 'cache_mode', label: 'Cache mode', type: 'select',
      options: [['', 'Gateway default'], ['deterministic', 'Deterministic'], ['all', 'All'], ['off', 'Off']]},
    {name: 'model_limits', label: 'Limits per model (JSON)', type: 'json', rows: 2,
      help: '{"gpt-4o*": {"rpm": 10}}; empty: none.'},
  ],
  body: (values, key) => {
    const body = {...values, user_id: values.user_id === null ? null : Number(values.user_id)};
    if (body.model_limits === null) body.model_limits = {};
    // A new key leaves out what was not filled in; an edit sends every field, so clearing one clears the limit.
    return key ? body : Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
  },
  created: key => showSecret('New key', key),
  actions: (key, reload) => [
    key.revoked_at ? null : button('Rotate', () => rotate(key, reload), {kind: 'small',
      ariaLabel: `Rotate key ${key.name}`}),
    key.revoked_at
      ? button('Enable', () => act(`Key ${key.name} enabled.`, () => api(`admin/keys/${key.id}/enable`,
        {method: 'POST'}), reload), {kind: 'small', ariaLabel: `Enable key ${key.name}`})
      : button('Revoke', () => revoke(key, reload), {kind: 'small', ariaLabel: `Revoke key ${key.name}`}),
  ],
});

function state(key) {
  if (key.revoked_at) return badge('revoked', 'bad');
  if (key.expires_at && new Date(key.expires_at) <= new Date()) return badge('expired', 'bad');
  if (key.previous_until && new Date(key.previous_until) > new Date()) return badge('rotating', 'warn');
  return badge('active', 'ok');
}

function limits(key) {
  const set = LIMITS.filter(name => key[name] !== null).map(name => `${fmt.int(key[name])} ${name}`);
  const perModel = Object.keys(key.model_limits || {}).length;
  return [...set, perModel ? `${perModel} per model` : null].filter(Boolean).join(', ') || 'none';
}

function quota(key) {
  const parts = [];
  if (key.token_quota !== null) parts.push(`${fmt.int(key.token_quota)} tokens`);
  if (key.budget_usd !== null) parts.push(fmt.usd(key.budget_usd));
  if (!parts.length) return 'none';
  return `${parts.join(' or ')} ${key.quota_period ? `a ${key.quota_period}` : 'in all'}`;
}

function tokens(row) {
  return row ? (row.prompt_tokens || 0) + (row.completion_tokens || 0) : 0;
}

async function rotate(key, reload) {
  const answer = await formDialog({
    title: `Rotate key ${key.name}`,
    intro: 'A new secret replaces this key\'s. The old one keeps working for the grace period, so clients can move.',
    fields: [{name: 'grace', label: 'Grace period (seconds)', type: 'number', help: '0 stops the old secret at once.'}],
    initial: {grace: 86400},
    submitLabel: 'Rotate',
    onSubmit: values => api(`admin/keys/${key.id}/rotate`, {method: 'POST',
      body: values.grace === null ? {} : {grace: values.grace}}),
  });
  if (!answer) return;
  await reload();
  await showSecret(`Key ${key.name} rotated`, answer);
}

async function revoke(key, reload) {
  if (!await confirmDialog(`Revoke key ${key.name}?`, 'Requests with it are refused from now on.', 'Revoke')) return;
  await act(`Key ${key.name} revoked.`, () => api(`admin/keys/${key.id}/revoke`, {method: 'POST'}), reload);
}

/** The secret, once: a read-only field to select and a copy button. */
function showSecret(title, key) {
  const field = h('input', {id: 'new-key-value', type: 'text', readonly: true, value: key.key,
    'aria-label': 'The new key', spellcheck: 'false'});
  const copy = button('Copy', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(key.key);
      toast('Key copied.');
    } catch (e) {
      // not a secure context (plain http to another host): the text is selected for Ctrl+C instead
      toast('Selected: press Ctrl+C (or ⌘C) to copy.');
    }
  }, {id: 'copy-key', kind: 'primary'});
  setTimeout(() => field.select(), 0);
  return infoDialog(title, [
    h('p', {}, 'Copy this key now: it is not shown again.'),
    h('div', {class: 'secret'}, field, copy),
  ], 'Done');
}
