// The one way the client talks to the public API: JSON in, JSON out, the access token added and
// refreshed, and every problem+json turned into an ApiError whose field errors can be shown next
// to the right input.

import { language, t } from './i18n.js';
import { accessToken } from './session.js';

export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network' : 'http_error');
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
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

/**
 * Call the API and return the parsed JSON (null for 204); throw ApiError otherwise.
 * Options: body (JSON), form (FormData), query (object), auth (default true), raw (return the Response).
 */
export async function api(method, path, options = {}) {
  const auth = options.auth !== false;
  let token = null;
  if (auth) {
    token = await accessToken();
    if (!token) throw new ApiError(401, { code: 'not_authenticated', detail: t('error.login-again') });
  }
  let response;
  try {
    response = await send(method, path, options, token);
    if (response.status === 401 && auth) {
      // The token may have expired between the check and the call: refresh once and retry.
      token = await accessToken({ force: true });
      if (!token) throw new ApiError(401, { code: 'not_authenticated', detail: t('error.login-again') });
      response = await send(method, path, options, token);
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
