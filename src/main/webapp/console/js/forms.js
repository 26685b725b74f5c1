// One shape for every create and edit form: fields described as data, shown in a modal <dialog> (which keeps the
// keyboard inside it and closes on Escape), read back into the JSON the admin API takes.
import {h, uid} from './dom.js';

/**
 * Fields: [{name, label, type, options, help, required, placeholder}], types: text, number, password, email,
 * select (options [[value, label]]), checkbox, textarea, list (comma or newline separated), json, datetime.
 * Answers the fields' element and read(), which gives {name: value} with empty fields as null.
 */
export function formFields(fields, initial = {}) {
  const controls = new Map();
  const rows = fields.map(field => {
    const id = uid(field.name);
    const control = input(field, id, initial[field.name]);
    controls.set(field.name, {field, control});
    const help = field.help ? h('small', {id: `${id}-help`, class: 'help'}, field.help) : null;
    if (help) control.setAttribute('aria-describedby', help.id);
    if (field.type === 'checkbox') {
      return h('div', {class: 'field check'}, control, h('label', {for: id}, field.label), help);
    }
    return h('div', {class: 'field'}, h('label', {for: id}, field.label, field.required ? ' *' : ''), control, help);
  });
  return {
    element: h('div', {class: 'fields'}, rows),
    read: () => Object.fromEntries([...controls].map(([name, {field, control}]) => [name, value(field, control)])),
    focus: name => controls.get(name)?.control.focus(),
    has: name => controls.has(name),
  };
}

function input(field, id, initial) {
  const common = {id, name: field.name, required: field.required, placeholder: field.placeholder};
  switch (field.type) {
    case 'select':
      return h('select', common, field.options.map(([v, label]) => h('option', {value: v,
        selected: String(initial ?? '') === String(v)}, label)));
    case 'checkbox':
      return h('input', {...common, type: 'checkbox', checked: Boolean(initial)});
    case 'textarea':
    case 'json':
    case 'list': {
      const text = field.type === 'json' ? (initial ? JSON.stringify(initial, null, 2) : '')
        : Array.isArray(initial) ? initial.join(field.type === 'list' ? ', ' : '\n') : (initial ?? '');
      return h('textarea', {...common, rows: field.rows || 3, spellcheck: 'false', value: text});
    }
    case 'datetime':
      return h('input', {...common, type: 'datetime-local', value: initial ? localInput(initial) : ''});
    default:
      return h('input', {...common, type: field.type || 'text', value: initial ?? '', autocomplete: 'off',
        spellcheck: 'false', step: field.type === 'number' ? 'any' : null});
  }
}

function value(field, control) {
  if (field.type === 'checkbox') return control.checked;
  const text = control.value.trim();
  if (text === '') return field.type === 'list' ? [] : null;
  switch (field.type) {
    case 'number': return Number(text);
    case 'list': return text.split(/[\n,]/).map(s => s.trim()).filter(Boolean);
    case 'datetime': return new Date(text).toISOString();
    case 'json':
      try {
        return JSON.parse(text);
      } catch (e) {
        throw Object.assign(new Error(`${field.label}: not valid JSON (${e.message})`), {param: field.name});
      }
    default: return text;
  }
}

/** An ISO instant as a datetime-local input's value, in the browser's time zone. */
function localInput(iso) {
  const d = new Date(iso);
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A modal form. onSubmit(values) may throw (an ApiError from the gateway, or a bad field): its message shows in
 * the dialog, the field it names gets the focus, and the dialog stays open. Answers a promise of onSubmit's
 * result, or null when cancelled.
 */
export function formDialog({title, fields, initial, submitLabel = 'Save', intro, onSubmit}) {
  const form = formFields(fields, initial);
  const error = h('p', {class: 'error', role: 'alert'});
  return modal(title, [intro ? h('p', {class: 'hint'}, intro) : null, form.element, error], submitLabel,
    async () => {
      error.textContent = '';
      try {
        return await onSubmit(form.read());
      } catch (e) {
        error.textContent = e.message;
        if (e.param && form.has(e.param)) form.focus(e.param);
        throw e;
      }
    });
}

/** Asks before something that cannot be undone. */
export async function confirmDialog(title, message, confirmLabel, kind = 'danger') {
  const answer = await modal(title, [h('p', {}, message)], confirmLabel, async () => true, kind);
  return answer === true;
}

/** A dialog that only shows something (details, a key shown once), closed by its button or Escape. */
export function infoDialog(title, content, closeLabel = 'Close') {
  return modal(title, content, null, null, '', closeLabel);
}

function modal(title, content, submitLabel, onSubmit, kind = 'primary', closeLabel = 'Cancel') {
  return new Promise(resolve => {
    const titleId = uid('dialog-title');
    const dialog = h('dialog', {'aria-labelledby': titleId});
    let result = null;
    const close = () => dialog.close();
    const form = h('form', {method: 'dialog', novalidate: true},
      h('h2', {id: titleId}, title),
      h('div', {class: 'dialog-body'}, content),
      h('div', {class: 'dialog-actions'},
        h('button', {type: 'button', class: 'quiet', on: {click: close}}, closeLabel),
        submitLabel ? h('button', {type: 'submit', class: kind}, submitLabel) : null));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        result = await onSubmit();
        close();
      } catch (ignored) {
        // shown in the dialog by onSubmit's caller
      } finally {
        submit.disabled = false;
      }
    });
    dialog.append(form);
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
