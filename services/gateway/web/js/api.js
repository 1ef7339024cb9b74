// The one way the client talks to the public API: JSON in, JSON out, the access token added and
// refreshed, and every problem+json turned into an ApiError whose field errors can be shown next
// to the right input.

import { language, t } from './i18n.js';
import { accessToken, maybeLoggedIn } from './session.js';

export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network' : 'http_error');
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.params = problem.params && typeof problem.params === 'object' ? problem.params : {};
    // The gateway answers an unknown route with a plain 404/405 (code http_error), while a missing
    // resource has its own code: this tells "not built yet" from "not found".
    this.routeMissing = (status === 404 || status === 405) && this.code === 'http_error';
  }

  /** Return the sentence to show the person (Error's own `message` stays the raw detail). */
  text() {
    if (this.status === 0) return t('error.network');
    if (this.routeMissing) return t('error.coming-soon');
    return this.detail || t('error.generic');
  }
}

function url(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

// The gateway refuses a request it cannot take now with 503 and Retry-After, before sending it to
// any service: nothing was done, so sending it again after the pause is safe. A few tries, with a
// line saying why the person waits; then the refusal is shown like any other error.
const BUSY_TRIES = 3;
const BUSY_LONGEST_PAUSE_S = 10;

function busyPause(response) {
  if (response.status !== 503) return null;
  const seconds = Number.parseInt(response.headers.get('retry-after') || '', 10);
  if (!Number.isFinite(seconds)) return null;
  return Math.min(Math.max(seconds, 1), BUSY_LONGEST_PAUSE_S);
}

let busyWaits = 0; // requests of this page waiting to be sent again; the notice stays while any does

async function waitWhileBusy(seconds) {
  let notice = document.getElementById('busy-notice');
  if (!notice) {
    notice = document.createElement('p');
    notice.id = 'busy-notice';
    notice.className = 'notice busy-notice';
    notice.setAttribute('role', 'status');
    document.body.append(notice);
  }
  notice.textContent = t('error.busy-retrying', { count: seconds });
  busyWaits += 1;
  try {
    await new Promise((resolve) => { setTimeout(resolve, seconds * 1000); });
  } finally {
    busyWaits -= 1;
    if (busyWaits === 0) notice.remove();
  }
}

async function send(method, path, { body, query, auth, form }, token) {
  const headers = { accept: 'application/json', 'accept-language': language() };
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (form) {
    payload = form; // FormData: the browser sets the multipart content type
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return fetch(url(path, query), { method, headers, body: payload, credentials: 'same-origin' });
}

// No access token while the session is still kept: the refresh could not reach the server (offline, or
// the service is down). That is a network error, not a logout: the person stays logged in.
function noToken() {
  if (maybeLoggedIn()) return new ApiError(0, { code: 'network' });
  return new ApiError(401, { code: 'not_authenticated', detail: t('error.login-again') });
}

/**
 * Call the API and return the parsed JSON (null for 204); throw ApiError otherwise.
 * Options: body (JSON), form (FormData), query (object), auth (default true), raw (return the Response).
 */
export async function api(method, path, options = {}) {
  const auth = options.auth !== false;
  let token = null;
  if (auth) {
    token = await accessToken();
    if (!token) throw noToken();
  }
  let response;
  try {
    response = await send(method, path, options, token);
    if (response.status === 401 && auth) {
      // The token may have expired between the check and the call: refresh once and retry.
      token = await accessToken({ force: true });
      if (!token) throw noToken();
      response = await send(method, path, options, token);
    }
    for (let tries = 1, pause = busyPause(response); pause && tries < BUSY_TRIES; tries += 1) {
      await waitWhileBusy(pause);
      response = await send(method, path, options, token);
      pause = busyPause(response);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, { code: 'network' });
  }
  if (options.raw && response.ok) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json().catch(() => ({})) : {};
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path, options) => api('GET', path, options);
export const post = (path, body, options = {}) => api('POST', path, { ...options, body });
export const patch = (path, body, options = {}) => api('PATCH', path, { ...options, body });
export const put = (path, body, options = {}) => api('PUT', path, { ...options, body });
export const del = (path, body, options = {}) => api('DELETE', path, { ...options, body });
