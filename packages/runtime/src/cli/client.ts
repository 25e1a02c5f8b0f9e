import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { readConnectorFile } from './connector-file.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

interface ClientOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

interface Ctx {
  url: string;
  token: string | undefined;
  json: boolean;
  out: (s: string) => void;
}

/** What a client command's action gets: its context, and a way to report its exit code. */
export interface ClientIO {
  out: (s: string) => void;
  exit: (code: number) => void;
}

export const CLIENT_HELP_AFTER = `
The client commands talk to any worker's HTTP API.
Exit codes: 0 done, 1 the worker refused or failed, 2 bad usage or no worker reachable.`;

/** --url, --token and --json, on every client command (so they may follow the command). */
function clientCommand(parent: Command, spec: string, description: string): Command {
  return parent
    .command(spec)
    .description(description)
    .addOption(new Option('--url <url>', 'the worker (default http://127.0.0.1:8082)').env('SLUICE_URL'))
    .addOption(new Option('--token <token>', 'bearer token of the API').env('SLUICE_TOKEN'))
    .option('--json', "print the API's JSON (for scripts)");
}

function context(opts: ClientOptions, io: ClientIO): Ctx {
  return {
    url: (opts.url ?? 'http://127.0.0.1:8082').replace(/\/$/, ''),
    token: opts.token,
    json: opts.json === true,
    out: io.out,
  };
}

type Action = (ctx: Ctx, args: string[], opts: Record<string, unknown>) => Promise<number>;

/** An action for commander: each finds its options last but one (commander passes the command last). */
function actionOf(io: ClientIO, fn: Action) {
  return async (...args: unknown[]) => {
    const opts = args.at(-2) as ClientOptions & Record<string, unknown>;
    io.exit(await fn(context(opts, io), args.slice(0, -2) as string[], opts));
  };
}

const path = (name: string, rest = '') => `/connectors/${encodeURIComponent(name)}${rest}`;

/** Registers `plugins`, `workers` and `connectors …` on the program. */
export function addClientCommands(program: Command, io: ClientIO): void {
  const act = (fn: Action) => actionOf(io, fn);
  clientCommand(program, 'plugins', 'list the installed connector plugins').action(
    act(async (ctx) =>
      show(
        ctx,
        await call(ctx, 'GET', '/connector-plugins'),
        (rows: { class: string; type: string; version: string }[]) =>
          table(
            ['CLASS', 'TYPE', 'VERSION'],
            rows.map((r) => [r.class, r.type, r.version]),
          ),
      ),
    ),
  );
  clientCommand(program, 'workers', 'list the live workers of the cluster').action(
    act(async (ctx) =>
      show(ctx, await call(ctx, 'GET', '/workers'), (rows: { worker_id: string }[]) =>
        table(
          ['WORKER'],
          rows.map((r) => [r.worker_id]),
        ),
      ),
    ),
  );

  const connectors = program.command('connectors').description('list, create, change and watch connectors');
  addConnectorReads(connectors, act);
  addConnectorWrites(connectors, act);
  addConnectorOffsets(connectors, act);
}

function addConnectorReads(connectors: Command, act: (fn: Action) => ReturnType<typeof actionOf>): void {
  clientCommand(connectors, 'list', 'every connector with its state and tasks').action(
    act(async (ctx) =>
      show(
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
      ),
    ),
  );
  clientCommand(connectors, 'get <name>', "a connector's config").action(
    act(async (ctx, [name]) =>
      show(ctx, await call(ctx, 'GET', path(name!, '/config')), (config: Record<string, string>) =>
        table(['KEY', 'VALUE'], Object.entries(config)),
      ),
    ),
  );
  clientCommand(connectors, 'status <name>', 'the state of a connector and of its tasks').action(
    act(async (ctx, [name]) =>
      show(
        ctx,
        await call(ctx, 'GET', path(name!, '/status')),
        (s: StatusBody) =>
          `${s.name}: ${s.connector.state}\n${table(
            ['TASK', 'STATE', 'WORKER', 'ERROR'],
            s.tasks.map((t) => [String(t.id), t.state, t.worker_id, (t.trace ?? '').split('\n')[0] ?? '']),
          )}`,
      ),
    ),
  );
}

function addConnectorWrites(connectors: Command, act: (fn: Action) => ReturnType<typeof actionOf>): void {
  clientCommand(connectors, 'create <file>', 'create a connector from a .properties or .json file').action(
    act(async (ctx, [file]) => {
      const def = await readConnectorFile(file!);
      return show(
        ctx,
        await call(ctx, 'POST', '/connectors', { name: def.name, config: def.config }),
        () => `created ${def.name}\n`,
      );
    }),
  );
  clientCommand(
    connectors,
    'update <name> <changes>',
    'change the keys given as JSON (inline or @file)',
  ).action(
    act(async (ctx, [name, changes]) =>
      show(
        ctx,
        await call(ctx, 'PATCH', path(name!, '/config'), await jsonArg(changes!)),
        () => `updated ${name}\n`,
      ),
    ),
  );
  clientCommand(connectors, 'delete <name>', 'remove a connector').action(
    act(async (ctx, [name]) => show(ctx, await call(ctx, 'DELETE', path(name!)), () => `deleted ${name}\n`)),
  );
  for (const [verb, done, what] of [
    ['pause', 'paused', 'pause its tasks (they keep their resources)'],
    ['resume', 'resumed', 'run a paused or stopped connector again'],
    ['stop', 'stopped', 'stop its tasks (needed before changing offsets)'],
  ] as const)
    clientCommand(connectors, `${verb} <name>`, what).action(
      act(async (ctx, [name]) =>
        show(ctx, await call(ctx, 'PUT', path(name!, `/${verb}`)), () => `${done} ${name}\n`),
      ),
    );
  clientCommand(connectors, 'restart <name>', 'restart a connector, its tasks, or one task')
    .option('--include-tasks', 'restart its tasks too')
    .option('--only-failed', 'only what has FAILED')
    .option('--task <id>', 'restart only this task')
    .action(
      act(async (ctx, [name], opts) => {
        if (opts.task !== undefined)
          return show(
            ctx,
            await call(ctx, 'POST', path(name!, `/tasks/${encodeURIComponent(String(opts.task))}/restart`)),
            () => `restarted task ${opts.task} of ${name}\n`,
          );
        const q = new URLSearchParams({
          includeTasks: String(opts.includeTasks === true),
          onlyFailed: String(opts.onlyFailed === true),
        });
        return show(ctx, await call(ctx, 'POST', path(name!, `/restart?${q}`)), () => `restarted ${name}\n`);
      }),
    );
}

function addConnectorOffsets(connectors: Command, act: (fn: Action) => ReturnType<typeof actionOf>): void {
  clientCommand(connectors, 'offsets <name>', 'where it resumes; --set or --reset change it (stopped only)')
    .option('--set <json>', '{"offsets":[{partition,offset}]}, inline or @file')
    .option('--reset', 'start afresh')
    .action(
      act(async (ctx, [name], opts) => {
        const p = path(name!, '/offsets');
        if (opts.reset && opts.set !== undefined) throw new UsageError('give --set or --reset, not both');
        if (opts.reset)
          return show(ctx, await call(ctx, 'DELETE', p), () => `reset the offsets of ${name}\n`);
        if (opts.set !== undefined)
          return show(
            ctx,
            await call(ctx, 'PATCH', p, await jsonArg(String(opts.set))),
            () => `altered the offsets of ${name}\n`,
          );
        return show(
          ctx,
          await call(ctx, 'GET', p),
          (body: { offsets: { partition: unknown; offset: unknown }[] }) =>
            table(
              ['PARTITION', 'OFFSET'],
              body.offsets.map((o) => [JSON.stringify(o.partition), JSON.stringify(o.offset)]),
            ),
        );
      }),
    );
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
