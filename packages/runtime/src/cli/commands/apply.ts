import type { Command } from 'commander';
import { type Act, clientCommand, UsageError } from '../client-command.ts';
import { type ConnectorDefinition, readConnectorFile } from '../connector-file.ts';
import { type ClientContext, call, must, connectorPath as path } from '../http-client.ts';
import { print, show, table } from '../output.ts';
import { type StatusBody, statusText } from './connectors.ts';
import { type OffsetsBody, offsetsText } from './offsets.ts';

async function definition(file: unknown): Promise<ConnectorDefinition> {
  if (typeof file !== 'string') throw new UsageError('give the connector file with -f FILE');
  try {
    return await readConnectorFile(file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `sluice apply -f`, `sluice describe`, `sluice validate -f`. */
export function addApplyCommands(program: Command, act: Act): void {
  clientCommand(program, 'apply', 'create a connector from a file, or bring it to the file’s config')
    .requiredOption('-f, --file <file>', 'a .properties, .json (flat or {name, config}) or .yaml file')
    .action(act(async (ctx, _args, opts) => apply(ctx, await definition(opts.file))));
  clientCommand(
    program,
    'describe <name>',
    'a connector whole: config, state, tasks, offsets, topics',
  ).action(act(async (ctx, [name]) => describe(ctx, name!)));
  clientCommand(
    program,
    'validate',
    'check a connector file against its plugin, key by key; nothing is created',
  )
    .requiredOption('-f, --file <file>', 'a .properties, .json or .yaml file')
    .action(act(async (ctx, _args, opts) => validate(ctx, await definition(opts.file))));
}

/** Like `kubectl apply`: created, changed, or left alone when it says what is there already. */
async function apply(ctx: ClientContext, def: ConnectorDefinition): Promise<number> {
  const current = await call(ctx, 'GET', path(def.name, '/config'));
  if (current.ok) {
    const { name: _n, ...was } = current.body as Record<string, string>;
    if (JSON.stringify(sorted(was)) === JSON.stringify(sorted(def.config))) {
      print(ctx, { name: def.name, result: 'unchanged' }, () => `${def.name} unchanged\n`);
      return 0;
    }
  }
  const r = await call(ctx, 'PUT', path(def.name, '/config'), def.config);
  if (!r.ok) return show(ctx, r, () => '');
  const result = r.status === 201 ? 'created' : 'configured';
  print(ctx, { name: def.name, result }, () => `${def.name} ${result}\n`);
  return 0;
}

const sorted = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

async function describe(ctx: ClientContext, name: string): Promise<number> {
  const info = (await must(ctx, 'GET', path(name))) as { config: Record<string, string>; type: string };
  const status = (await must(ctx, 'GET', path(name, '/status'))) as StatusBody;
  // A connector whose plugin is missing has no offsets to show: said, not fatal.
  const offsets = await call(ctx, 'GET', path(name, '/offsets'));
  const topics = await call(ctx, 'GET', path(name, '/topics'));
  const whole = {
    name,
    type: info.type,
    config: info.config,
    status,
    offsets: offsets.ok ? (offsets.body as OffsetsBody).offsets : { error: offsets.message },
    topics: topics.ok ? (topics.body as Record<string, { topics: string[] }>)[name]?.topics : [],
  };
  print(ctx, whole, () =>
    [
      `Name:    ${name}\nType:    ${info.type}\nState:   ${status.connector.state}\n`,
      `\nConfig:\n${indent(table(['KEY', 'VALUE'], Object.entries(info.config)))}`,
      `\nTasks:\n${indent(statusText(status).split('\n').slice(1).join('\n'))}`,
      `\nOffsets:\n${indent(offsets.ok ? offsetsText(offsets.body as OffsetsBody) : `${offsets.message}\n`)}`,
      `\nTopics:  ${(whole.topics ?? []).join(', ') || '-'}\n`,
    ].join(''),
  );
  return 0;
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');

interface ConfigInfos {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}

async function validate(ctx: ClientContext, def: ConnectorDefinition): Promise<number> {
  const cls = def.config['connector.class'] ?? def.config['connector-class'];
  if (!cls) throw new UsageError('the file names no connector.class to validate against');
  const r = await call(ctx, 'PUT', `/connector-plugins/${encodeURIComponent(cls)}/config/validate`, {
    ...def.config,
    name: def.name,
  });
  if (!r.ok) return show(ctx, r, () => '');
  const infos = r.body as ConfigInfos;
  const problems = infos.configs.flatMap((c) => c.value.errors.map((e) => [c.value.name, e]));
  print(ctx, infos, () =>
    problems.length === 0
      ? `${def.name}: valid\n`
      : `${def.name}: ${problems.length} problem(s)\n${table(['KEY', 'PROBLEM'], problems)}`,
  );
  return infos.error_count > 0 ? 1 : 0;
}
