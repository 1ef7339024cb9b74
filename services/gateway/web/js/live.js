// Live updates over server-sent events. EventSource cannot send an Authorization header, so the
// client first asks a one-minute ticket (POST /v1/me/events/ticket) and opens the stream with it.
// The stream is open only while a page listens; it reconnects with a new ticket after a cut. Moving
// from one listening screen to the next keeps it open (it closes a moment after the last listener
// leaves), so nothing is missed while a screen is redrawn.

import { post } from './api.js';

// profile-saved: the person's answers were saved (here, in another tab or on another device), with
// the new revision. diagnosis-ready: a diagnosis changed, or (changed: false) it reflects the last save.
// account-erased: the account is gone; the server closes the stream and it is not opened again.
const EVENTS = ['ready', 'profile-saved', 'diagnosis-ready', 'advice-ready', 'account-erased'];
const LINGER_MS = 2000;
const handlers = new Map(EVENTS.map((name) => [name, new Set()]));
let source = null;
let retry = null;
let delay = 1000;
let listening = 0;
let closing = null;

async function connect() {
  clearTimeout(retry);
  retry = null;
  if (listening === 0 || source) return;
  let ticket;
  try {
    ({ ticket } = await post('/v1/me/events/ticket'));
  } catch {
    schedule();
    return;
  }
  if (listening === 0 || source) return;
  source = new EventSource(`/v1/me/events?ticket=${encodeURIComponent(ticket)}`);
  for (const name of EVENTS) {
    source.addEventListener(name, (event) => {
      delay = 1000;
      let data = {};
      try { data = JSON.parse(event.data || '{}'); } catch { /* a ping or a bad line: ignore */ }
      handlers.get(name).forEach((fn) => fn(data));
      if (name === 'account-erased') stopAll();
    });
  }
  source.onerror = () => {
    // The browser would retry with the same (by then expired) ticket: close and reconnect ourselves.
    disconnect();
    schedule();
  };
}

function schedule() {
  if (listening === 0 || retry) return;
  retry = setTimeout(connect, delay);
  delay = Math.min(delay * 2, 30_000);
}

function disconnect() {
  if (source) source.close();
  source = null;
}

/**
 * Call fn for each live event of this type ('ready' each time the stream opens, 'profile-saved',
 * 'diagnosis-ready', 'advice-ready'); return a function that stops listening (pages call it when they
 * are left).
 */
export function listen(type, fn) {
  handlers.get(type).add(fn);
  listening += 1;
  clearTimeout(closing);
  closing = null;
  connect();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    handlers.get(type).delete(fn);
    listening -= 1;
    if (listening === 0 && !closing) {
      closing = setTimeout(() => {
        closing = null;
        if (listening > 0) return;
        clearTimeout(retry);
        retry = null;
        disconnect();
      }, LINGER_MS);
    }
  };
}

/** Close the stream (logout). */
export function stopAll() {
  handlers.forEach((set) => set.clear());
  listening = 0;
  clearTimeout(closing);
  closing = null;
  clearTimeout(retry);
  retry = null;
  disconnect();
}
