import { stringify } from 'yaml';
import { type ClientContext, RefusedError, type Result } from './http-client.ts';

/**
 * Prints what a command got: a table (or text) for people, or the API's own body as JSON or YAML
 * for scripts. A refusal goes to stderr. Returns the exit code: 0 done, 1 refused.
 */
export function show<T>(ctx: ClientContext, r: Result, human: (body: T) => string): number {
  if (!r.ok) return refused(ctx, new RefusedError(r.status, r.message));
  print(ctx, r.body, human as (body: unknown) => string);
  return 0;
}

export function print(ctx: ClientContext, body: unknown, human: (body: unknown) => string): void {
  if (ctx.output === 'json') ctx.out(`${JSON.stringify(body ?? null, null, 2)}\n`);
  else if (ctx.output === 'yaml') ctx.out(stringify(body ?? null));
  else ctx.out(human(body));
}

export function refused(ctx: ClientContext, err: RefusedError): number {
  ctx.err(
    ctx.output === 'table'
      ? `error ${err.status}: ${err.message}\n`
      : `${JSON.stringify({ error_code: err.status, message: err.message })}\n`,
  );
  return 1;
}

/** Columns padded to their widest cell; the header in capitals. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  return line(head) + rows.map(line).join('');
}
