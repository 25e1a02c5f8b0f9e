import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readConnectorFile } from './connector-file.ts';

export const CLIENT_HELP = `Usage: sluice <command> [options]    (a client of any worker's HTTP API)

  sluice connectors list
  sluice connectors get <name>
  sluice connectors create <connector.properties|connector.json>
  sluice connectors update <name> <json of the keys to change>
  sluice connectors delete <name>
  sluice connectors status <name>
  sluice connectors pause|resume|stop <name>
  sluice connectors restart <name> [--include-tasks] [--only-failed]
  sluice connectors restart <name> --task <id>
  sluice connectors offsets <name>                  where it resumes
  sluice connectors offsets <name> --set <json|@file>   {"offsets":[{partition,offset}]} (stopped only)
  sluice connectors offsets <name> --reset          start afresh (stopped only)
  sluice plugins
  sluice workers

Options:
  --url <url>      the worker (default $SLUICE_URL or http://127.0.0.1:8082)
  --token <token>  bearer token (default $SLUICE_TOKEN)
  --json           print the API's JSON (for scripts)
  -h, --help       this text

Exit codes: 0 done, 1 the worker refused or failed, 2 bad usage or no worker reachable.
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

interface Ctx {
  url: string;
  token: string | undefined;
  json: boolean;
  out: (s: string) => void;
}

/** Runs one client command; returns the process exit code. */
export async function runClient(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      'include-tasks': { type: 'boolean', default: false },
      'only-failed': { type: 'boolean', default: false },
      task: { type: 'string' },
      set: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    out(CLIENT_HELP);
    return 0;
  }
  const ctx: Ctx = {
    url: (values.url ?? process.env.SLUICE_URL ?? 'http://127.0.0.1:8082').replace(/\/$/, ''),
    token: values.token ?? process.env.SLUICE_TOKEN,
    json: values.json ?? false,
    out,
  };
  const [group, verb, ...rest] = positionals;
  if (group === 'plugins')
    return show(
      ctx,
      await call(ctx, 'GET', '/connector-plugins'),
      (rows: { class: string; type: string; version: string }[]) =>
        table(
          ['CLASS', 'TYPE', 'VERSION'],
          rows.map((r) => [r.class, r.type, r.version]),
        ),
    );
  if (group === 'workers')
    return show(ctx, await call(ctx, 'GET', '/workers'), (rows: { worker_id: string }[]) =>
      table(
        ['WORKER'],
        rows.map((r) => [r.worker_id]),
      ),
    );
  if (group !== 'connectors') throw new UsageError(`unknown command "${group}"`);
  const name = rest[0];
  const need = () => {
    if (!name) throw new UsageError(`sluice connectors ${verb} needs a connector name`);
    return encodeURIComponent(name);
  };
  switch (verb) {
    case 'list':
      return show(
        ctx,
        await call(ctx, 'GET', '/connectors?expand=status'),
        (all: Record<string, { status: StatusBody }>) =>
          table(
            ['NAME', 'TYPE', 'STATE', 'TASKS'],
            Object.entries(all).map(([n, { status }]) => [
              n,
              status.type,
              status.connector.state,
              taskSummary(status),
            ]),
          ),
      );
    case 'get':
      return show(
        ctx,
        await call(ctx, 'GET', `/connectors/${need()}/config`),
        (config: Record<string, string>) => table(['KEY', 'VALUE'], Object.entries(config)),
      );
    case 'status':
      return show(
        ctx,
        await call(ctx, 'GET', `/connectors/${need()}/status`),
        (s: StatusBody) =>
          `${s.name}: ${s.connector.state}\n${table(
            ['TASK', 'STATE', 'WORKER', 'ERROR'],
            s.tasks.map((t) => [String(t.id), t.state, t.worker_id, (t.trace ?? '').split('\n')[0] ?? '']),
          )}`,
      );
    case 'create': {
      if (!name) throw new UsageError('sluice connectors create needs a connector file');
      const def = await readConnectorFile(name);
      return show(
        ctx,
        await call(ctx, 'POST', '/connectors', { name: def.name, config: def.config }),
        () => `created ${def.name}\n`,
      );
    }
    case 'update': {
      const changes = rest[1];
      if (!changes) throw new UsageError('sluice connectors update needs the keys to change, as JSON');
      const body = await jsonArg(changes);
      return show(
        ctx,
        await call(ctx, 'PATCH', `/connectors/${need()}/config`, body),
        () => `updated ${name}\n`,
      );
    }
    case 'delete':
      return show(ctx, await call(ctx, 'DELETE', `/connectors/${need()}`), () => `deleted ${name}\n`);
    case 'pause':
    case 'resume':
      return show(ctx, await call(ctx, 'PUT', `/connectors/${need()}/${verb}`), () => `${verb}d ${name}\n`);
    case 'stop':
      return show(ctx, await call(ctx, 'PUT', `/connectors/${need()}/stop`), () => `stopped ${name}\n`);
    case 'restart': {
      if (values.task !== undefined)
        return show(
          ctx,
          await call(ctx, 'POST', `/connectors/${need()}/tasks/${encodeURIComponent(values.task)}/restart`),
          () => `restarted task ${values.task} of ${name}\n`,
        );
      const q = new URLSearchParams({
        includeTasks: String(values['include-tasks']),
        onlyFailed: String(values['only-failed']),
      });
      return show(
        ctx,
        await call(ctx, 'POST', `/connectors/${need()}/restart?${q}`),
        () => `restarted ${name}\n`,
      );
    }
    case 'offsets': {
      const path = `/connectors/${need()}/offsets`;
      if (values.reset && values.set !== undefined) throw new UsageError('give --set or --reset, not both');
      if (values.reset)
        return show(ctx, await call(ctx, 'DELETE', path), () => `reset the offsets of ${name}\n`);
      if (values.set !== undefined)
        return show(
          ctx,
          await call(ctx, 'PATCH', path, await jsonArg(values.set)),
          () => `altered the offsets of ${name}\n`,
        );
      return show(
        ctx,
        await call(ctx, 'GET', path),
        (body: { offsets: { partition: unknown; offset: unknown }[] }) =>
          table(
            ['PARTITION', 'OFFSET'],
            body.offsets.map((o) => [JSON.stringify(o.partition), JSON.stringify(o.offset)]),
          ),
      );
    }
    default:
      throw new UsageError(`unknown connectors command "${verb ?? ''}"`);
  }
}

/** A JSON argument, inline or `@file`. */
async function jsonArg(arg: string): Promise<unknown> {
  try {
    return JSON.parse(arg.startsWith('@') ? await readFile(arg.slice(1), 'utf8') : arg);
  } catch (err) {
    throw new UsageError(`${arg.slice(0, 60)} is not valid JSON: ${(err as Error).message}`);
  }
}

interface StatusBody {
  name: string;
  type: string;
  connector: { state: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

function taskSummary(s: StatusBody): string {
  const running = s.tasks.filter((t) => t.state === 'RUNNING').length;
  return `${running}/${s.tasks.length} running`;
}

type Result = { ok: true; body: unknown } | { ok: false; status: number; message: string };

async function call(ctx: Ctx, method: string, path: string, body?: unknown): Promise<Result> {
  let res: Response;
  try {
    res = await fetch(ctx.url + path, {
      method,
      headers: {
        ...(ctx.token ? { authorization: `Bearer ${ctx.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new UsageError(
      `no worker answers at ${ctx.url}: ${(err as Error).cause ?? (err as Error).message}`,
    );
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok)
    return {
      ok: false,
      status: res.status,
      message: (parsed as { message?: string })?.message ?? res.statusText,
    };
  return { ok: true, body: parsed };
}

function show<T>(ctx: Ctx, r: Result, human: (body: T) => string): number {
  if (!r.ok) {
    ctx.out(
      ctx.json
        ? `${JSON.stringify({ error_code: r.status, message: r.message })}\n`
        : `error ${r.status}: ${r.message}\n`,
    );
    return 1;
  }
  ctx.out(ctx.json ? `${JSON.stringify(r.body ?? null, null, 2)}\n` : human(r.body as T));
  return 0;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  return line(head) + rows.map(line).join('');
}
