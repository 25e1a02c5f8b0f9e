import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import { createTopics } from '../e2e/kafka-rocketmq.ts';
import { DELIBERATE } from './parity-differences.ts';
import { differences } from './parity-shape.ts';

// One request sequence, sent to a real Kafka Connect worker (ConnectDistributed 4.1, from Maven
// Central) and to a Sluice cluster worker: every answer's status and body shape must be the
// same, except for the deliberate differences in parity-differences.ts (docs/http-api.md shows
// them). The connectors are the FileStream ones both have, with the same configs.

const cluster = useCluster({ kafkaConnect: true });
const targets: Record<'kafka' | 'sluice', string> = { kafka: '', sluice: '' };

before(async () => {
  const c = await cluster.ready();
  await createTopics(c.namesrvAddr, { rocketmq: ['parity'], queues: 2 });
  targets.kafka = c.kafkaConnect!;
  targets.sluice = (await c.start('parity-1')).url;
});

type Target = keyof typeof targets;
interface Answer {
  status: number;
  body: unknown;
  location: string | null;
}

async function send(t: Target, method: string, path: string, body?: unknown, raw?: [string, string]) {
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (raw) [headers['content-type'], payload] = raw;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(targets[t] + path, {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body: parsed, location: res.headers.get('location') } satisfies Answer;
}

const file = (t: Target, what: string) => join(cluster().dir, `${t}-${what}.txt`);
const source = (t: Target, extra: Record<string, unknown> = {}) => ({
  'connector.class': 'FileStreamSource',
  'tasks.max': 1,
  file: file(t, 'in'),
  topic: 'parity',
  ...extra,
});

async function stateOf(t: Target, name: string): Promise<string[]> {
  const s = (await send(t, 'GET', `/connectors/${name}/status`)).body as {
    connector?: { state: string };
    tasks?: { state: string }[];
  };
  return [s.connector?.state ?? '', ...(s.tasks ?? []).map((x) => x.state)];
}

/** Until the connector and its tasks are in `state` (with tasks, unless `tasks` is false). */
const waitFor = (t: Target, name: string, state: string, tasks = true) =>
  until(
    `${t}: ${name} ${state}`,
    async () => {
      const [c, ...states] = await stateOf(t, name);
      return c === state && (!tasks || states.length > 0) && states.every((x) => x === state);
    },
    60_000,
  );

interface Step {
  label: string;
  method: string;
  path: string;
  body?: (t: Target) => unknown;
  raw?: [string, string];
  /** Done against each target before the request (setup the step needs). */
  first?: (t: Target) => Promise<unknown>;
  /** What of the answer is compared (default the whole body). */
  view?: (body: unknown) => unknown;
}

/** Loggers by name: which loggers there are is each one's own; one entry's shape is compared. */
const oneLogger = (body: unknown) => Object.values(body as Record<string, unknown>)[0];

const STEPS: Step[] = [
  { label: 'GET /', method: 'GET', path: '/' },
  { label: 'list, none yet', method: 'GET', path: '/connectors' },
  { label: 'plugins', method: 'GET', path: '/connector-plugins' },
  { label: 'plugins and converters', method: 'GET', path: '/connector-plugins?connectorsOnly=false' },
  { label: 'plugin config keys', method: 'GET', path: '/connector-plugins/FileStreamSource/config' },
  {
    label: 'validate, valid',
    method: 'PUT',
    path: '/connector-plugins/FileStreamSource/config/validate',
    body: (t) => ({ ...source(t), name: 'v' }),
  },
  {
    label: 'validate, bad tasks.max',
    method: 'PUT',
    path: '/connector-plugins/FileStreamSource/config/validate',
    body: (t) => ({ ...source(t), name: 'v', 'tasks.max': 'x' }),
  },
  {
    label: 'create (numbers as values)',
    method: 'POST',
    path: '/connectors',
    first: (t) => writeFile(file(t, 'in'), 'one\ntwo\n'),
    body: (t) => ({ name: 'src', config: source(t) }),
  },
  {
    label: 'create again',
    method: 'POST',
    path: '/connectors',
    body: (t) => ({ name: 'src', config: source(t) }),
  },
  {
    label: 'create, malformed JSON',
    method: 'POST',
    path: '/connectors',
    raw: ['application/json', '{"name":'],
  },
  { label: 'create, text/plain', method: 'POST', path: '/connectors', raw: ['text/plain', 'name=x'] },
  {
    label: 'create, name in config differs',
    method: 'POST',
    path: '/connectors',
    body: (t) => ({ name: 'other', config: source(t, { name: 'else' }) }),
  },
  { label: 'info', method: 'GET', path: '/connectors/src', first: (t) => waitFor(t, 'src', 'RUNNING') },
  { label: 'config', method: 'GET', path: '/connectors/src/config' },
  { label: 'status', method: 'GET', path: '/connectors/src/status' },
  {
    label: 'tasks',
    method: 'GET',
    path: '/connectors/src/tasks',
    // A task config is whatever its connector hands out: its keys are the connector's business.
    view: (b) => (b as { id: unknown; config: object }[]).map((t) => ({ id: t.id, config: typeof t.config })),
  },
  { label: 'task status', method: 'GET', path: '/connectors/src/tasks/0/status' },
  { label: 'expand status and info', method: 'GET', path: '/connectors?expand=status&expand=info' },
  {
    label: 'active topics',
    method: 'GET',
    path: '/connectors/src/topics',
    first: (t) =>
      until(`${t}: topics`, async () => {
        const b = (await send(t, 'GET', '/connectors/src/topics')).body as { src?: { topics: string[] } };
        return (b.src?.topics.length ?? 0) > 0;
      }),
  },
  { label: 'reset active topics', method: 'PUT', path: '/connectors/src/topics/reset' },
  { label: 'pause', method: 'PUT', path: '/connectors/src/pause' },
  {
    label: 'status, paused',
    method: 'GET',
    path: '/connectors/src/status',
    first: (t) => waitFor(t, 'src', 'PAUSED'),
  },
  { label: 'resume', method: 'PUT', path: '/connectors/src/resume' },
  {
    label: 'restart',
    method: 'POST',
    path: '/connectors/src/restart',
    first: (t) => waitFor(t, 'src', 'RUNNING'),
  },
  { label: 'restart with tasks', method: 'POST', path: '/connectors/src/restart?includeTasks=true' },
  {
    label: 'restart one task',
    method: 'POST',
    path: '/connectors/src/tasks/0/restart',
    first: (t) => waitFor(t, 'src', 'RUNNING'),
  },
  { label: 'restart a missing task', method: 'POST', path: '/connectors/src/tasks/9/restart' },
  {
    label: 'patch a key (a number)',
    method: 'PATCH',
    path: '/connectors/src/config',
    body: () => ({ 'batch.size': 100 }),
  },
  {
    label: 'patch null removes a key',
    method: 'PATCH',
    path: '/connectors/src/config',
    body: () => ({ 'batch.size': null }),
  },
  { label: 'replace the config', method: 'PUT', path: '/connectors/src/config', body: (t) => source(t) },
  {
    label: 'create with PUT',
    method: 'PUT',
    path: '/connectors/src2/config',
    body: (t) => source(t, { file: file(t, 'in2') }),
  },
  {
    label: 'offsets',
    method: 'GET',
    path: '/connectors/src/offsets',
    first: (t) => waitFor(t, 'src', 'RUNNING'),
    // The partition and offset keys are each connector's own.
    view: (b) => ({ offsets: ((b as { offsets?: unknown[] }).offsets ?? []).map(() => ({})) }),
  },
  { label: 'stop', method: 'PUT', path: '/connectors/src/stop' },
  { label: 'stop again', method: 'PUT', path: '/connectors/src/stop' },
  {
    label: 'status, stopped',
    method: 'GET',
    path: '/connectors/src/status',
    first: (t) =>
      until(`${t}: stopped`, async () => (await stateOf(t, 'src'))[0] === 'STOPPED', 60_000).then(() => {}),
  },
  { label: 'reset offsets', method: 'DELETE', path: '/connectors/src/offsets' },
  { label: 'resume a stopped one', method: 'PUT', path: '/connectors/src/resume' },
  {
    label: 'create paused',
    method: 'POST',
    path: '/connectors',
    body: (t) => ({ name: 'held', config: source(t, { file: file(t, 'in3') }), initial_state: 'PAUSED' }),
  },
  {
    label: 'status, created paused',
    method: 'GET',
    path: '/connectors/held/status',
    first: (t) => waitFor(t, 'held', 'PAUSED', false),
  },
  { label: 'loggers', method: 'GET', path: '/admin/loggers', view: oneLogger },
  { label: 'set a level', method: 'PUT', path: '/admin/loggers/root', body: () => ({ level: 'INFO' }) },
  { label: 'set a bad level', method: 'PUT', path: '/admin/loggers/root', body: () => ({ level: 'LOUD' }) },
  { label: 'missing connector', method: 'GET', path: '/connectors/nope' },
  { label: 'delete a missing connector', method: 'DELETE', path: '/connectors/nope' },
  { label: 'wrong method', method: 'DELETE', path: '/connector-plugins' },
  { label: 'unknown route', method: 'GET', path: '/nope' },
  { label: 'health', method: 'GET', path: '/health' },
  { label: 'delete', method: 'DELETE', path: '/connectors/src' },
  { label: 'delete another', method: 'DELETE', path: '/connectors/src2' },
  { label: 'list after', method: 'GET', path: '/connectors' },
];

test('the same requests to Kafka Connect and to Sluice: same statuses and body shapes, but for the documented differences', async () => {
  const found: Record<string, string[]> = {};
  try {
    await run(found);
  } catch (err) {
    process.stdout.write(
      `# the Sluice worker's log:\n${cluster().workers.get('parity-1')?.log.join('').slice(-4000)}\n`,
    );
    throw err;
  }
  process.stdout.write(`# differences: ${JSON.stringify(found, null, 1)}\n`);
  assert.deepEqual(found, DELIBERATE);
});

async function run(found: Record<string, string[]>): Promise<void> {
  for (const step of STEPS) {
    const answers = {} as Record<Target, Answer>;
    for (const t of ['kafka', 'sluice'] as const) {
      await step.first?.(t);
      if (step.label === 'active topics') await appendFile(file(t, 'in'), 'three\n');
      answers[t] = await send(t, step.method, step.path, step.body?.(t), step.raw);
    }
    const { kafka, sluice } = answers;
    process.stdout.write(`# ${step.label}: ${kafka.status} / ${sluice.status}\n`);
    if (process.env.SLUICE_PARITY_DEBUG)
      process.stdout.write(
        `#   ${JSON.stringify(kafka.body).slice(0, 600)}\n#   ${JSON.stringify(sluice.body).slice(0, 600)}\n`,
      );
    const diffs: string[] = [];
    if (kafka.status !== sluice.status)
      diffs.push(`status ${kafka.status} in Kafka Connect, ${sluice.status} in Sluice`);
    if ((kafka.location === null) !== (sluice.location === null)) diffs.push('Location header');
    const view = step.view ?? ((b: unknown) => b);
    // Error messages are each one's own; their shape is compared.
    diffs.push(...differences(view(kafka.body), view(sluice.body)));
    if (diffs.length > 0) found[step.label] = diffs;
  }
}
