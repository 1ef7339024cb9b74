// Building the page with DOM calls only: text never goes through innerHTML, so what people type
// (or what a service answers) cannot inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';
let counter = 0;

/** Return a new unique id with a readable prefix (for label/for and aria-describedby). */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

function append(parent, child) {
  if (child === null || child === undefined || child === false || child === '') return;
  if (Array.isArray(child)) {
    child.forEach((c) => append(parent, c));
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value' && 'value' in el) {
      el.value = value;
    } else if (key === 'checked' || key === 'selected') {
      el[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  return el;
}

/** Return an HTML element: h('p', {class: 'hint'}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = apply(document.createElement(tag), attrs);
  append(el, children);
  return el;
}

/** Return an SVG element (charts, icons). */
export function s(tag, attrs, ...children) {
  const el = apply(document.createElementNS(SVG_NS, tag), attrs);
  append(el, children);
  return el;
}

/** Replace the children of an element. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Tell screen-reader users about a change that happened away from their focus. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick is announced even when the message repeats.
  setTimeout(() => { region.textContent = message; }, 50);
}
