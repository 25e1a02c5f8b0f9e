// Every call to the worker's API. With an API token set on the worker, the dashboard asks for it
// once and keeps it in this tab's sessionStorage (never localStorage, never a cookie).

const KEY = 'sluice.token';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};

/** Called when the worker answers 401: the dashboard shows its token form. */
export function whenUnauthorized(f) {
  onUnauthorized = f;
}

export function setToken(token) {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

export async function request(method, path, body) {
  const token = sessionStorage.getItem(KEY);
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (/metrics is text): kept as it is.
  }
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, parsed?.message ?? `${res.status} ${res.statusText}`, parsed);
  return parsed;
}

export const get = (path) => request('GET', path);
