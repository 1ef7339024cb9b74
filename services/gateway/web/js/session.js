// The session. The short-lived access token stays in memory only. The single-use refresh token is kept
// with who it belongs to ({refresh_token, user_id, role, guest}, never the access token, never anything
// of the profile):
//   - in sessionStorage for an account with an email address: a reload keeps the person logged in,
//     closing the tab ends the session (shared computers), and the emailed login link brings them back;
//   - in localStorage for a guest, unless they said the device is shared: a guest has no address and
//     no password, so closing the tab would lose their answers for good ("you can stop and come back").
// Knowing who is logged in without the network also lets the app open offline. See docs/WEB.md.

const KEY = 'coach.session';
const LEGACY_KEY = 'coach.refresh'; // a bare refresh token in sessionStorage (before the record above)
const LOCK = 'coach.session-refresh';
// Some browsers refuse storage (private modes, strict settings): the session then lives in memory
// only, until the page is closed.
const memory = new Map();

function storeOf(kind) {
  const storage = () => (kind === 'device' ? localStorage : sessionStorage);
  return {
    get: (key) => { try { return storage().getItem(key); } catch { return memory.get(`${kind}:${key}`) ?? null; } },
    set: (key, value) => { try { storage().setItem(key, value); } catch { memory.set(`${kind}:${key}`, value); } },
    remove: (key) => { try { storage().removeItem(key); } catch { memory.delete(`${kind}:${key}`); } },
  };
}

/** Storage for this tab only (falls back to memory). */
export const tabStore = storeOf('tab');
/** Storage of this browser, every tab (falls back to memory): only a guest's session goes there. */
const deviceStore = storeOf('device');

function readRecord(store) {
  const text = store.get(KEY);
  if (!text) return null;
  try {
    const record = JSON.parse(text);
    return record && typeof record.refresh_token === 'string' ? record : null;
  } catch {
    return null;
  }
}

/** Return the kept session ({record, where}) of this tab, else the one kept on the device, else null. */
function kept() {
  const inTab = readRecord(tabStore);
  if (inTab) return { record: inTab, where: 'tab' };
  const legacy = tabStore.get(LEGACY_KEY);
  if (legacy) return { record: { refresh_token: legacy, user_id: null, role: null, guest: false }, where: 'tab' };
  const onDevice = readRecord(deviceStore);
  return onDevice ? { record: onDevice, where: 'device' } : null;
}

const MARGIN_MS = 30_000; // refresh a little before the access token expires

let access = null;
let expiresAt = 0;
let who = whoOf(kept()); // {userId, role, guest}: known from storage, so a reload offline still knows who
let refreshing = null;
const listeners = new Set();
const endedElsewhere = new Set();

function whoOf(found) {
  if (!found || !found.record.user_id) return null;
  return { userId: found.record.user_id, role: found.record.role, guest: Boolean(found.record.guest) };
}

/**
 * Keep new tokens (from sign-up, login, refresh or upgrade).
 * guest: a guest account (no email); sharedDevice: the guest said the device is shared (tab only).
 */
export function save(tokens, { guest = false, sharedDevice = false } = {}) {
  access = tokens.access_token;
  expiresAt = Date.now() + tokens.expires_in * 1000;
  const record = { refresh_token: tokens.refresh_token, user_id: tokens.user_id, role: tokens.role, guest };
  const onDevice = readRecord(deviceStore);
  if (guest && !sharedDevice) {
    deviceStore.set(KEY, JSON.stringify(record));
    tabStore.remove(KEY);
  } else {
    tabStore.set(KEY, JSON.stringify(record));
    // A guest who saved their account with an email goes back to the rule of accounts.
    if (onDevice && onDevice.user_id === tokens.user_id) deviceStore.remove(KEY);
  }
  tabStore.remove(LEGACY_KEY);
  who = { userId: tokens.user_id, role: tokens.role, guest };
  listeners.forEach((fn) => fn(who));
}

function forget() {
  const had = who !== null || kept() !== null;
  const onDevice = readRecord(deviceStore);
  if (onDevice && (!who || onDevice.user_id === who.userId || !onDevice.user_id)) deviceStore.remove(KEY);
  tabStore.remove(KEY);
  tabStore.remove(LEGACY_KEY);
  access = null;
  expiresAt = 0;
  who = null;
  return had;
}

/** Forget the session (logout, account deleted, refresh refused). */
export function clear() {
  if (forget()) listeners.forEach((fn) => fn(null));
}

/** Return {userId, role, guest} of the person logged in, or null. */
export function current() { return who; }

/** Return true for a guest (an account without an email address): they would lose everything at logout. */
export function isGuest() { return Boolean(who && who.guest); }

/** Return the refresh token (for logout). */
export function refreshToken() {
  const found = kept();
  return found ? found.record.refresh_token : null;
}

/** Return true when a session may exist (a refresh token is kept). */
export function maybeLoggedIn() { return who !== null || kept() !== null; }

/** Call fn with the new {userId, role, guest} (or null) each time the session changes. */
export function onSessionChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** Call fn when the session of this tab was ended in another tab (a guest logging out there). */
export function onSessionEndedElsewhere(fn) { endedElsewhere.add(fn); return () => endedElsewhere.delete(fn); }

// A guest's session is shared by the tabs of the browser: logging out in one ends it in the others.
window.addEventListener('storage', (event) => {
  if (event.key !== KEY || event.storageArea !== localStorage || event.newValue !== null) return;
  if (who && who.guest && !readRecord(tabStore)) {
    access = null;
    expiresAt = 0;
    who = null;
    listeners.forEach((fn) => fn(null));
    endedElsewhere.forEach((fn) => fn());
  }
});

async function refreshOnce() {
  // Read inside the lock: another tab of a guest may have spent the token and kept the next one.
  const found = kept();
  if (!found) return null;
  let response;
  try {
    response = await fetch('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: found.record.refresh_token }),
    });
  } catch {
    return null; // offline: keep the refresh token
  }
  if (response.status === 401 || response.status === 422) {
    clear();
    return null;
  }
  if (!response.ok) return null; // the service is down: keep the refresh token, try later
  const guest = Boolean(found.record.guest);
  save(await response.json(), { guest, sharedDevice: guest && found.where === 'tab' });
  return access;
}

/**
 * Return a valid access token, refreshing it when needed, or null when there is none now.
 * One refresh at a time: the refresh token is single-use, and presenting it twice would end every
 * session of the family (the server treats that as theft). A guest's token is shared by the tabs of
 * the browser, so the refresh also holds a lock across tabs (Web Locks) where the browser has them.
 */
export async function accessToken({ force = false } = {}) {
  if (!force && access && Date.now() < expiresAt - MARGIN_MS) return access;
  if (!kept()) return null;
  if (!refreshing) {
    const run = () => refreshOnce();
    refreshing = (async () => {
      try {
        return navigator.locks ? await navigator.locks.request(LOCK, run) : await run();
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}
