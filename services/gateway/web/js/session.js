// The session: the short-lived access token stays in memory only; the single-use refresh token is
// kept in sessionStorage so that a reload keeps the person logged in, and closing the tab ends it
// (see docs/WEB.md for why not localStorage nor a cookie).

const REFRESH_KEY = 'coach.refresh';
// Some browsers refuse storage (private modes, strict settings): the session then lives in memory
// only, until the page is closed.
const memory = new Map();
/** Storage for this tab only (falls back to memory). */
export const tabStore = {
  get: (key) => { try { return sessionStorage.getItem(key); } catch { return memory.get(key) ?? null; } },
  set: (key, value) => { try { sessionStorage.setItem(key, value); } catch { memory.set(key, value); } },
  remove: (key) => { try { sessionStorage.removeItem(key); } catch { memory.delete(key); } },
};
const MARGIN_MS = 30_000; // refresh a little before the access token expires

let access = null;
let expiresAt = 0;
let who = null; // {userId, role}
let refreshing = null;
const listeners = new Set();

/** Keep new tokens (from sign-up, login, refresh or upgrade). */
export function save(tokens) {
  access = tokens.access_token;
  expiresAt = Date.now() + tokens.expires_in * 1000;
  who = { userId: tokens.user_id, role: tokens.role };
  tabStore.set(REFRESH_KEY, tokens.refresh_token);
  listeners.forEach((fn) => fn(who));
}

/** Forget the session (logout, account deleted, refresh refused). */
export function clear() {
  const had = who !== null || tabStore.get(REFRESH_KEY) !== null;
  access = null;
  expiresAt = 0;
  who = null;
  tabStore.remove(REFRESH_KEY);
  if (had) listeners.forEach((fn) => fn(null));
}

/** Return {userId, role} of the person logged in, or null. */
export function current() { return who; }

/** Return the refresh token (for logout). */
export function refreshToken() { return tabStore.get(REFRESH_KEY); }

/** Return true when a session may exist (a refresh token is kept). */
export function maybeLoggedIn() { return who !== null || refreshToken() !== null; }

/** Call fn with the new {userId, role} (or null) each time the session changes. */
export function onSessionChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/**
 * Return a valid access token, refreshing it when needed, or null when there is no session.
 * One refresh at a time: the refresh token is single-use, and presenting it twice would end
 * every session of the family (the server treats that as theft).
 */
export async function accessToken({ force = false } = {}) {
  if (!force && access && Date.now() < expiresAt - MARGIN_MS) return access;
  const token = refreshToken();
  if (!token) return null;
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const response = await fetch('/v1/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: token }),
        });
        if (response.status === 401 || response.status === 422) {
          clear();
          return null;
        }
        if (!response.ok) return null; // the service is down: keep the refresh token, try later
        save(await response.json());
        return access;
      } catch {
        return null; // offline: keep the refresh token
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}
