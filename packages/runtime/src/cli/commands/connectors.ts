import type { Command } from 'commander';
import { type Act, clientCommand, UsageError } from '../client-command.ts';
import { readConnectorFile } from '../connector-file.ts';
import { type ClientContext, call, connectorPath as path } from '../http-client.ts';
import { show, table } from '../output.ts';
import { watch, watchOptions } from '../watch.ts';
import { jsonArg } from './json-arg.ts';

export interface StatusBody {
  name: string;
  type: string;
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

export const taskSummary = (s: StatusBody) =>
  `${s.tasks.filter((t) => t.state === 'RUNNING').length}/${s.tasks.length} running`;

export const statusText = (s: StatusBody) =>
  `${s.name}: ${s.connector.state}\n${table(
    ['TASK', 'STATE', 'WORKER', 'ERROR'],
    s.tasks.map((t) => [String(t.id), t.state, t.worker_id, (t.trace ?? '').split('\n')[0] ?? '']),
  )}`;

/** `sluice connectors list|get|status|create|update|delete|pause|resume|stop|restart`. */
export function addConnectorCommands(connectors: Command, act: Act): void {
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
  clientCommand(connectors, 'status <name>', 'the state of a connector and of its tasks')
    .option('-w, --watch', 'show it again every --interval seconds, until Ctrl-C')
    .option('--interval <seconds>', 'seconds between refreshes with --watch (default 2)')
    .option('-n, --iterations <n>', 'with --watch: stop after n refreshes')
    .action(
      act(async (ctx, [name], opts) => {
        if (!opts.watch) return show(ctx, await call(ctx, 'GET', path(name!, '/status')), statusText);
        const every = watchOptions(opts);
        const frame = async () => {
          const r = await call(ctx, 'GET', path(name!, '/status'));
          const body = r.ok ? statusText(r.body as StatusBody) : `error ${r.status}: ${r.message}\n`;
          return `${body}\n`;
        };
        return watch(frame, ctx.out, every);
      }),
    );
  clientCommand(
    connectors,
    'create <file>',
    'create a connector from a .properties, .json or .yaml file',
  ).action(
    act(async (ctx, [file]) => {
      const def = await readConnectorFile(file!);
      const r = await call(ctx, 'POST', '/connectors', { name: def.name, config: def.config });
      return show(ctx, r, () => `created ${def.name}\n`);
    }),
  );
  clientCommand(
    connectors,
    'update <name> <changes>',
    'change the keys given as JSON (inline or @file); null removes one',
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
  addRestart(connectors, act);
}

function addRestart(connectors: Command, act: Act): void {
  clientCommand(
    connectors,
    'restart [name]',
    'restart a connector, its tasks, one task, or everything that failed',
  )
    .option('--include-tasks', 'restart its tasks too')
    .option('--only-failed', 'only what has FAILED')
    .option('--failed', 'what has FAILED (its tasks included); without a name, of every connector')
    .option('--task <id>', 'restart only this task')
    .action(
      act(async (ctx, [name], opts) => {
        if (name === undefined) {
          if (!opts.failed)
            throw new UsageError('restart needs a connector name, or --failed for every connector');
          return restartFailed(ctx);
        }
        if (opts.task !== undefined)
          return show(
            ctx,
            await call(ctx, 'POST', path(name, `/tasks/${encodeURIComponent(String(opts.task))}/restart`)),
            () => `restarted task ${opts.task} of ${name}\n`,
          );
        const q = new URLSearchParams({
          includeTasks: String(opts.includeTasks === true || opts.failed === true),
          onlyFailed: String(opts.onlyFailed === true || opts.failed === true),
        });
        return show(ctx, await call(ctx, 'POST', path(name, `/restart?${q}`)), () => `restarted ${name}\n`);
      }),
    );
}

/** Kafka Connect users script this: every connector with a FAILED instance or task, restarted. */
async function restartFailed(ctx: ClientContext): Promise<number> {
  const all = await call(ctx, 'GET', '/connectors?expand=status');
  if (!all.ok) return show(ctx, all, () => '');
  const failed = Object.entries(all.body as Record<string, { status: StatusBody }>)
    .filter(
      ([, { status }]) =>
        status.connector.state === 'FAILED' || status.tasks.some((t) => t.state === 'FAILED'),
    )
    .map(([name]) => name);
  const done: Record<string, unknown> = {};
  let code = 0;
  for (const name of failed) {
    const r = await call(ctx, 'POST', path(name, '/restart?includeTasks=true&onlyFailed=true'));
    if (!r.ok) {
      code = 1;
      ctx.err(`error ${r.status}: ${name}: ${r.message}\n`);
    } else done[name] = r.body;
  }
  show(ctx, { ok: true, status: 200, body: done }, () =>
    failed.length === 0
      ? 'nothing has failed\n'
      : Object.keys(done)
          .map((n) => `restarted what failed in ${n}\n`)
          .join(''),
  );
  return code;
}
