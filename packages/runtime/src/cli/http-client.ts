import { UsageError } from './usage-error.ts';

/** Where the client commands send their requests, and how they print. */
export interface ClientContext {
  url: string;
  token: string | undefined;
  output: OutputFormat;
  out: (s: string) => void;
  err: (s: string) => void;
}

export type OutputFormat = 'table' | 'json' | 'yaml';

export type Result =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: number; message: string };

/**
 * One request to the worker. A body that is not JSON (a proxy's HTML error page, a seed route's
 * text) is kept as text, never a crash; no answer at all is a UsageError (exit 2).
 */
export async function call(
  ctx: ClientContext,
  method: string,
  path: string,
  body?: unknown,
): Promise<Result> {
  let res: Response;
  try {
    res = await fetch(ctx.url + path, {
      method,
      headers: {
        ...(ctx.token ? { authorization: `Bearer ${ctx.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new UsageError(
      `no worker answers at ${ctx.url}: ${(err as Error).cause ?? (err as Error).message}`,
    );
  }
  const text = await res.text();
  let parsed: unknown = text === '' ? undefined : text;
  try {
    if (text) parsed = JSON.parse(text);
  } catch {
    // Not JSON: shown as the text it is.
  }
  if (!res.ok) {
    const message =
      typeof parsed === 'object' && parsed !== null && 'message' in parsed
        ? String((parsed as { message: unknown }).message)
        : typeof parsed === 'string'
          ? parsed.slice(0, 500)
          : res.statusText;
    return { ok: false, status: res.status, message };
  }
  return { ok: true, status: res.status, body: parsed };
}

/** The body of a call that must succeed; a refusal is printed by the caller's `show`. */
export async function must(
  ctx: ClientContext,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const r = await call(ctx, method, path, body);
  if (!r.ok) throw new RefusedError(r.status, r.message);
  return r.body;
}

/** The worker said no: printed on stderr, exit 1. */
export class RefusedError extends Error {
  override name = 'RefusedError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const connectorPath = (name: string, rest = '') => `/connectors/${encodeURIComponent(name)}${rest}`;
