// Live updates over server-sent events. EventSource cannot send an Authorization header, so the
// client first asks a one-minute ticket (POST /v1/me/events/ticket) and opens the stream with it.
// The stream is open only while a page listens; it reconnects with a new ticket after a cut.

import { post } from './api.js';

const EVENTS = ['ready', 'diagnosis-ready', 'advice-ready'];
const handlers = new Map(EVENTS.map((name) => [name, new Set()]));
let source = null;
let retry = null;
let delay = 1000;
let listening = 0;

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
 * Call fn for each live event of this type ('ready' each time the stream opens, 'diagnosis-ready',
 * 'advice-ready'); return a function that stops listening (pages call it when they are left).
 */
export function listen(type, fn) {
  handlers.get(type).add(fn);
  listening += 1;
  connect();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    handlers.get(type).delete(fn);
    listening -= 1;
    if (listening === 0) {
      clearTimeout(retry);
      retry = null;
      disconnect();
    }
  };
}

/** Close the stream (logout). */
export function stopAll() {
  handlers.forEach((set) => set.clear());
  listening = 0;
  clearTimeout(retry);
  retry = null;
  disconnect();
}
