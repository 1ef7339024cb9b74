// An accessible autocomplete (the ARIA 1.2 combobox with a list box): type, then choose with the
// arrows and Enter, or tap. Used for job titles and communes (GET /v1/reference/...).

import { get } from './api.js';
import { announce, h, uid } from './dom.js';
import { t } from './i18n.js';

const SOURCES = {
  job: {
    path: '/v1/reference/job-titles',
    text: (item) => item.label,
    meta: () => null,
  },
  city: {
    path: '/v1/reference/cities',
    text: (item) => item.name,
    meta: (item) => `${item.postal_codes[0] || ''} — ${item.departement}`,
  },
};

/**
 * Return a labelled combobox field; onChoose(item) is called with the chosen suggestion, and with
 * null when the person edits the text afterwards.
 * kind: 'job' or 'city'; value: the text shown at first; name: the field name errors refer to.
 */
export function autocompleteField({ kind, name, label, hint, value = '', onChoose }) {
  const source = SOURCES[kind];
  const id = uid(name);
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  let items = [];
  let active = -1;
  let timer = null;
  let chosenText = value || null; // the text of the current choice (a prefilled value counts)

  const input = h('input', {
    id, name, type: 'text', value, role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId, 'aria-describedby': hintId,
  });
  const list = h('ul', { id: listId, role: 'listbox', hidden: true, 'aria-label': label });

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const option = list.children[index];
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    }
  }

  function choose(index) {
    const item = items[index];
    if (!item) return;
    input.value = source.text(item);
    chosenText = input.value;
    close();
    onChoose(item);
  }

  function show(found) {
    items = found;
    list.replaceChildren(...found.map((item, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false',
      on: {
        // mousedown, not click: choosing must not blur the input first.
        mousedown: (event) => { event.preventDefault(); choose(i); },
      },
    }, source.text(item), source.meta(item) && h('span', { class: 'meta' }, ` (${source.meta(item)})`))));
    const open = found.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    active = -1;
    announce(open ? t('autocomplete.count', { count: found.length }) : t('autocomplete.none'));
  }

  async function search() {
    const query = input.value.trim();
    if (query.length < 2) { close(); return; }
    try {
      const found = await get(source.path, { auth: false, query: { q: query, limit: 8 } });
      if (input.value.trim() === query) show(found.items);
    } catch {
      close();
    }
  }

  input.addEventListener('input', () => {
    if (chosenText !== null && input.value !== chosenText) {
      chosenText = null;
      onChoose(null); // the text no longer names the chosen item
    }
    clearTimeout(timer);
    timer = setTimeout(search, 200); // one request per pause in typing, not per key
  });
  input.addEventListener('keydown', (event) => {
    const open = !list.hidden;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) { search(); return; }
      highlight(Math.min(active + 1, items.length - 1));
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));

  return h('div', { class: 'field combobox', dataset: { field: name } },
    h('label', { for: id }, label),
    h('p', { class: 'hint', id: hintId }, hint || t('autocomplete.hint')),
    input,
    list);
}
