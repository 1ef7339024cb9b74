// Form fields with their label, hint and error, wired with aria-describedby, and the one way to
// show an API problem: each error next to its field (by the field name the API gives), the rest
// at the top of the form, and the focus moved to the first thing to fix.

import { ApiError } from './api.js';
import { h, uid } from './dom.js';
import { t } from './i18n.js';

function describedBy(...ids) {
  return ids.filter(Boolean).join(' ') || null;
}

/** Return a labelled input: {name, label, type, value, hint, autocomplete, required, ...attributes}. */
export function textField({ name, label, hint, type = 'text', value, optional, ...attrs }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const input = h(type === 'textarea' ? 'textarea' : 'input', {
    id,
    name,
    type: type === 'textarea' ? null : type,
    value: value ?? '',
    'aria-describedby': describedBy(hintId),
    ...attrs,
  });
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label, optional ? ` ${t('form.optional')}` : ''),
    hint && h('p', { class: 'hint', id: hintId }, hint),
    input);
}

/** Return a labelled select: options [{value, label}]. */
export function selectField({ name, label, hint, options, value, ...attrs }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label),
    hint && h('p', { class: 'hint', id: hintId }, hint),
    h('select', { id, name, 'aria-describedby': describedBy(hintId), ...attrs },
      options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label))));
}

/** Return a group of radio buttons (or checkboxes when multiple) as large tappable cards. */
export function choiceGroup({ name, legend, options, value, multiple = false, hint, required = false, legendClass }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const chosen = new Set((Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String));
  return h('fieldset', { class: 'field', dataset: { field: name }, id, 'aria-describedby': describedBy(hintId) },
    h('legend', { class: legendClass }, legend),
    hint && h('p', { class: 'hint', id: hintId }, hint),
    h('div', { class: 'choices' }, options.map((o) => h('label', { class: 'choice' },
      h('input', {
        type: multiple ? 'checkbox' : 'radio',
        name,
        value: String(o.value),
        checked: chosen.has(String(o.value)),
        required: required && !multiple,
      }),
      h('span', {}, o.label, o.hint && h('span', { class: 'meta' }, h('br'), o.hint))))));
}

/** Return a password input with a button to show what was typed (easier on a phone). */
export function passwordField({ name = 'password', label, hint, autocomplete = 'current-password' }) {
  const field = textField({ name, label, hint, type: 'password', autocomplete, required: true, minlength: autocomplete === 'new-password' ? 12 : null });
  const input = field.querySelector('input');
  const toggle = h('button', {
    type: 'button', class: 'button secondary small', 'aria-pressed': 'false', 'aria-controls': input.id,
    on: {
      click: () => {
        const show = input.type === 'password';
        input.type = show ? 'text' : 'password';
        toggle.setAttribute('aria-pressed', String(show));
      },
    },
  }, t('form.show-password'));
  const row = h('div', { class: 'password-row' });
  input.replaceWith(row);
  row.append(input, toggle);
  return field;
}

/** Return the region where a form's general errors appear. */
export function formAlert() {
  return h('div', { class: 'alert', role: 'alert', tabindex: '-1', dataset: { formAlert: '' } });
}

/** Return the value of a checked radio / every checked checkbox of a group. */
export function checked(form, name, { multiple = false } = {}) {
  const values = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
  return multiple ? values : (values[0] ?? null);
}

/** Remove the errors shown on a form. */
export function clearErrors(form) {
  form.querySelectorAll('[data-error]').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('[data-described]').forEach((el) => {
    el.setAttribute('aria-describedby', el.dataset.described);
    if (!el.dataset.described) el.removeAttribute('aria-describedby');
    delete el.dataset.described;
  });
  const alert = form.querySelector('[data-form-alert]');
  if (alert) alert.replaceChildren();
}

function findField(form, path) {
  const pieces = String(path || '').split('.');
  for (let i = 0; i < pieces.length; i += 1) {
    const name = pieces.slice(i).join('.');
    const field = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (field) return field;
  }
  return null;
}

function markInvalid(field, reason) {
  const target = field.tagName === 'FIELDSET' ? field : field.querySelector('input, select, textarea');
  const error = h('p', { class: 'error-text', id: uid('error'), dataset: { error: '' } }, reason);
  if (field.tagName === 'FIELDSET') field.querySelector('legend').after(error);
  else field.appendChild(error);
  target.dataset.described = target.getAttribute('aria-describedby') || '';
  target.setAttribute('aria-describedby', describedBy(target.dataset.described, error.id));
  target.setAttribute('aria-invalid', 'true');
  return target.tagName === 'FIELDSET' ? target.querySelector('input') : target;
}

/** Show an error (ApiError or any Error) on a form; return true when it was shown. */
export function showErrors(form, error) {
  clearErrors(form);
  const alert = form.querySelector('[data-form-alert]');
  const general = [];
  let first = null;
  if (error instanceof ApiError && error.errors.length) {
    for (const item of error.errors) {
      const field = findField(form, item.field);
      if (field) {
        const focusable = markInvalid(field, item.reason);
        first = first || focusable;
      } else {
        general.push(item.reason);
      }
    }
  }
  const message = error instanceof ApiError ? error.text() : t('error.generic');
  if (alert) {
    alert.append(h('p', {}, first && !general.length ? t('form.fix-below') : message));
    if (general.length) alert.append(h('ul', {}, general.map((reason) => h('li', {}, reason))));
  }
  (first || alert)?.focus();
  return true;
}

/** Run handler(form) on submit, with the button busy meanwhile and errors shown on failure. */
export function onSubmit(form, handler) {
  form.noValidate = true; // the API's reasons, in plain words, replace the browser's bubbles
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = event.submitter || form.querySelector('button[type="submit"]');
    clearErrors(form);
    if (button) button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await handler(form, button);
    } catch (error) {
      if (!(error instanceof ApiError)) console.error(error);
      showErrors(form, error);
    } finally {
      if (button && button.isConnected) button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}

/** Return an ApiError-like error for a field the client checks itself (an empty required answer). */
export function localError(field, reason) {
  return new ApiError(422, { code: 'invalid_input', detail: reason, errors: [{ field, code: 'missing', reason }] });
}
