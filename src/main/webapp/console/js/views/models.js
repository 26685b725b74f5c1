// Model entries: the names clients send (or patterns), where each goes (targets, by priority and weight),
// aliases and capabilities.
import {collectionView} from '../collection.js';
import {badge, fmt, h} from '../dom.js';

export const render = collectionView({
  title: 'Models',
  singular: 'model',
  path: 'admin/models',
  id: m => m.name,
  intro: 'A request for a model goes to its targets, lowest priority first; equal priorities share by weight.',
  columns: () => [
    {label: 'Name', value: m => h('strong', {}, m.name)},
    {label: 'Targets', value: m => h('ul', {class: 'plain'}, m.targets.map(t => h('li', {},
      h('code', {}, `${t.provider}/${t.model ?? '*'}`), ` priority ${t.priority}, weight ${t.weight}`)))},
    {label: 'Aliases', value: m => fmt.list(m.aliases)},
    {label: 'Max tokens', numeric: true, value: m => fmt.int(m.max_tokens)},
    {label: 'Streaming', value: m => (m.supports_streaming ? badge('yes', 'ok') : badge('no'))},
    {label: 'Tools', value: m => (m.supports_tools ? badge('yes', 'ok') : badge('no'))},
  ],
  fields: m => [
    m ? null : {name: 'name', label: 'Name', required: true, help: 'What clients send; a pattern such as gpt-4o* too.'},
    {name: 'targets', label: 'Targets', type: 'textarea', rows: 3, required: true,
      help: 'One per line: provider, then the upstream model (* or nothing: the name asked for), then optionally '
        + 'priority and weight. Example: main gpt-4o-mini 0 1'},
    {name: 'aliases', label: 'Aliases', type: 'list', help: 'Other names for the same entry, comma separated.'},
    {name: 'max_tokens', label: 'Max tokens', type: 'number', help: 'Requests asking for more are clamped.'},
    {name: 'supports_streaming', label: 'Supports streaming', type: 'checkbox'},
    {name: 'supports_tools', label: 'Supports tools', type: 'checkbox'},
  ].filter(Boolean),
  initial: m => ({...m, targets: m.targets.map(t => [t.provider, t.model ?? '*', t.priority, t.weight].join(' '))}),
  body: (values, m) => ({...values, name: m ? m.name : values.name, targets: targets(values.targets)}),
  editMethod: 'PUT',
  defaults: {supports_streaming: true, supports_tools: true},
});

/** "main gpt-4o-mini 0 1" lines as targets; a malformed line names the field, so the form points at it. */
function targets(text) {
  const lines = (text || '').split('\n').map(s => s.trim()).filter(Boolean);
  if (!lines.length) throw Object.assign(new Error('Targets: give at least one provider.'), {param: 'targets'});
  return lines.map(line => {
    const [provider, model, priority, weight, ...rest] = line.split(/\s+/);
    const number = (text, what) => {
      if (text === undefined) return undefined;
      if (!/^[0-9]{1,6}$/.test(text)) {
        throw Object.assign(new Error(`Targets: ${what} must be a whole number in "${line}".`), {param: 'targets'});
      }
      return Number(text);
    };
    if (rest.length) {
      throw Object.assign(new Error(`Targets: too many words in "${line}".`), {param: 'targets'});
    }
    const target = {provider};
    if (model && model !== '*') target.model = model;
    const p = number(priority, 'priority');
    const w = number(weight, 'weight');
    if (p !== undefined) target.priority = p;
    if (w !== undefined) target.weight = w;
    return target;
  });
}
