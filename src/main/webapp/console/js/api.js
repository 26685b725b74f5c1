// The admin API from the browser. The admin key lives in this tab's sessionStorage only (never in local storage or a
// cookie), so closing the tab forgets it and no other site's request can carry it.
const STORE = 'tollgate.adminKey';
const TIMEOUT_MS = 30000;

export const session = {
  key: () => sessionStorage.getItem(STORE),
  signIn: key => sessionStorage.setItem(STORE, key),
  signOut: () => sessionStorage.removeItem(STORE),
};

/** What the gateway answered with, in OpenAI's error shape: status, message, type, param, code. */
export class ApiError extends Error {
  constructor(status, error, retryAfter) {
    super(error?.message || `The gateway answered ${status}.`);
    this.status = status;
    this.type = error?.type;
    this.param = error?.param;
    this.code = error?.code;
    this.retryAfter = retryAfter;
  }
}

/** A URL below the gateway's root: the console lives at <context>/console/, so the root is one level up. */
export function gatewayUrl(path, query) {
  const url = new URL(`../${path}`, window.location.href);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  return url;
}

/**
 * Calls the gateway and answers the parsed JSON. A 401 means the key stopped working (revoked, changed): the
 * console then signs out, through the 'signed-out' event main.js listens for.
 */
export async function api(path, {method = 'GET', body, query, key = session.key(), signal} = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  signal?.addEventListener('abort', () => controller.abort());
  let response;
  try {
    response = await fetch(gatewayUrl(path, query), {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : {'Content-Type': 'application/json'}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, {message: controller.signal.aborted && !signal?.aborted
      ? 'The gateway did not answer in time.' : 'The gateway could not be reached.'});
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (ignored) {
    // an answer that is not JSON: a proxy in front of the gateway, say
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json?.error, response.headers.get('Retry-After'));
    if (response.status === 401 && key === session.key()) {
      window.dispatchEvent(new CustomEvent('signed-out', {detail: error}));
    }
    throw error;
  }
  return json;
}

/** Every item of an admin listing, page after page (bounded: listings here are keys, users, providers, models). */
export async function listAll(path, query = {}, maxPages = 20) {
  const items = [];
  let after = null;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await api(path, {query: {...query, limit: 500, after}});
    items.push(...answer.data);
    if (!answer.has_more) break;
    after = answer.next;
  }
  return items;
}

/**
 * A name as path segments: each part encoded, its '/' kept (a model name may hold one, and the gateway refuses
 * encoded slashes, as any path not in normal form).
 */
export function segment(name) {
  return String(name).split('/').map(encodeURIComponent).join('/');
}
