// Users, who own keys: disabling one stops all their keys at once.
import {api, listAll} from '../api.js';
import {act, collectionView} from '../collection.js';
import {badge, button, fmt, h} from '../dom.js';

export const render = collectionView({
  title: 'Users',
  singular: 'user',
  path: 'admin/users',
  id: user => user.id,
  intro: 'Disabling a user stops every key they own; their usage stays in the logs.',
  context: async () => {
    const [keys, stats] = await Promise.all([listAll('admin/keys'), api('admin/stats', {query: {group_by: 'user'}})]);
    const owned = new Map();
    for (const key of keys) {
      if (key.user_id !== null && !key.revoked_at) owned.set(key.user_id, (owned.get(key.user_id) || 0) + 1);
    }
    return {owned, usage: new Map(stats.by_user.data.map(r => [r.user_id, r]))};
  },
  columns: ({owned, usage}) => [
    {label: 'Id', numeric: true, value: u => fmt.int(u.id)},
    {label: 'Name', value: u => h('strong', {}, u.name)},
    {label: 'Email', value: u => fmt.text(u.email)},
    {label: 'State', value: u => (u.disabled_at ? badge('disabled', 'bad') : badge('active', 'ok'))},
    {label: 'Active keys', numeric: true, value: u => fmt.int(owned.get(u.id) || 0)},
    {label: 'Requests 24 h', numeric: true, value: u => fmt.int(usage.get(u.id)?.requests ?? 0)},
    {label: 'Cost 24 h', numeric: true, value: u => fmt.usd(usage.get(u.id)?.cost_usd ?? 0)},
    {label: 'Created', value: u => fmt.time(u.created_at)},
    {label: 'Logs', value: u => h('a', {href: `#/logs?user_id=${encodeURIComponent(u.id)}`,
      'aria-label': `Logs of user ${u.name}`}, 'Logs')},
  ],
  fields: () => [
    {name: 'name', label: 'Name', required: true},
    {name: 'email', label: 'Email', type: 'email'},
  ],
  body: values => values,
  actions: (user, reload) => [
    button(user.disabled_at ? 'Enable' : 'Disable', () => act(
      `User ${user.name} ${user.disabled_at ? 'enabled' : 'disabled'}.`,
      () => api(`admin/users/${user.id}`, {method: 'PATCH', body: {disabled: !user.disabled_at}}), reload),
    {kind: 'small', ariaLabel: `${user.disabled_at ? 'Enable' : 'Disable'} user ${user.name}`}),
  ],
});
