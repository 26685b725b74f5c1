// One shape for every admin collection the console edits (keys, users, providers, models), as the admin API has
// one shape for them: a table of what is stored, a "New" form, and per row Edit, Delete and actions of its own.
import {api, listAll, segment} from './api.js';
import {button, clear, failure, h, heading, table, toast} from './dom.js';
import {confirmDialog, formDialog} from './forms.js';

/**
 * spec: {
 *   title, singular, path ('admin/keys'), id(row),
 *   context(): extra data the columns and forms need (users for a select, usage per key), loaded with the rows,
 *   columns(context): table columns,
 *   fields(row|null, context): form fields, for a new entry when row is null,
 *   body(values, row|null): the JSON sent,
 *   editMethod: 'PATCH' or 'PUT', defaults: a new entry's initial values, initial(row): an entry as its form shows it,
 *   created(answer): after a create (a key shows its secret),
 *   actions(row, reload, context): buttons of its own for a row,
 *   editable(row): false for an entry the admin API cannot change (a built-in one), intro,
 *   filter(rows, params, context): the rows shown
 * }
 */
export function collectionView(spec) {
  return function render(main, params) {
    const body = h('div');
    main.append(heading(spec.title, button(`New ${spec.singular}`, () => create(), {kind: 'primary',
      id: `new-${spec.singular.replace(/\s+/g, '-')}`})), spec.intro ? h('p', {class: 'hint'}, spec.intro) : null,
    body);
    let context = {};

    async function reload() {
      try {
        const [rows, extra] = await Promise.all([listAll(spec.path), spec.context ? spec.context() : {}]);
        context = extra;
        const shown = spec.filter ? spec.filter(rows, params, context) : rows;
        clear(body).append(table({
          caption: `${shown.length} ${shown.length === 1 ? spec.singular : `${spec.singular}s`}`,
          columns: [...spec.columns(context), {label: 'Actions', value: row => rowActions(row)}],
          rows: shown,
          empty: `No ${spec.singular}s yet.`,
        }));
      } catch (e) {
        clear(body).append(failure(e));
      }
    }

    function rowActions(row) {
      const name = String(spec.id(row));
      return h('div', {class: 'actions'},
        spec.actions ? spec.actions(row, reload, context) : null,
        !spec.editable || spec.editable(row)
          ? button('Edit', () => edit(row), {kind: 'small', ariaLabel: `Edit ${spec.singular} ${name}`}) : null,
        !spec.editable || spec.editable(row)
          ? button('Delete', () => remove(row), {kind: 'small danger', ariaLabel: `Delete ${spec.singular} ${name}`})
          : null);
    }

    async function create() {
      const answer = await formDialog({
        title: `New ${spec.singular}`,
        fields: spec.fields(null, context),
        initial: spec.defaults || {},
        submitLabel: 'Create',
        onSubmit: values => api(spec.path, {method: 'POST', body: spec.body(values, null)}),
      });
      if (!answer) return;
      toast(`Created ${spec.singular} ${spec.id(answer)}.`);
      await reload();
      if (spec.created) await spec.created(answer);
    }

    async function edit(row) {
      const answer = await formDialog({
        title: `Edit ${spec.singular} ${spec.id(row)}`,
        fields: spec.fields(row, context),
        initial: spec.initial ? spec.initial(row) : row,
        onSubmit: values => api(`${spec.path}/${segment(spec.id(row))}`, {method: spec.editMethod || 'PATCH',
          body: spec.body(values, row)}),
      });
      if (!answer) return;
      toast(`Saved ${spec.singular} ${spec.id(row)}.`);
      await reload();
    }

    async function remove(row) {
      const id = spec.id(row);
      if (!await confirmDialog(`Delete ${spec.singular} ${id}?`, `This cannot be undone.`, 'Delete')) return;
      try {
        await api(`${spec.path}/${segment(id)}`, {method: 'DELETE'});
        toast(`Deleted ${spec.singular} ${id}.`);
      } catch (e) {
        toast(e.message, 'bad');
      }
      await reload();
    }

    reload();
  };
}

/** Runs an action a row's button stands for, tells the outcome, and shows the table again. */
export async function act(what, call, reload) {
  try {
    await call();
    toast(what);
  } catch (e) {
    toast(e.message, 'bad');
  }
  await reload();
}
