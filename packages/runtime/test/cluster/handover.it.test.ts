import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Admin, PullConsumer } from '@sluice/rocketmq';
import { until, useCluster } from './cluster-helper.ts';

// Hand-overs between worker processes: a new owner starts only after the old one has really
// stopped, and a removed connector leaves nothing behind that a new one of its name would find.

const cluster = useCluster({ settings: { pluginPaths: 'plugins', offsetCommitIntervalMs: '200' } });

/** A source whose tasks take 3 s to stop, writing start / stop events to a file. */
const SLOW_STOP_PLUGIN = `
import { appendFileSync } from 'node:fs';
const note = (file, what) => appendFileSync(file, JSON.stringify({ what, pid: process.pid, at: Date.now() }) + '\\n');
export default {
  name: 'slow-stop',
  version: '1.0.0',
  connectors: {
    SlowStopSource: () => ({
      kind: 'source',
      configSpec: { fields: [
        { name: 'events', type: 'string', required: true, doc: 'event file' },
        { name: 'topic', type: 'string', required: true, doc: 'unused' },
      ] },
      start(config) { this.events = config.events; },
      taskConfigs(n) { return Array.from({ length: n }, () => ({ events: this.events })); },
      stop() {},
      createTask: () => {
        let file;
        let id;
        return {
          start(config, ctx) { file = config.events; id = ctx.taskId; note(file, 'start ' + id); },
          poll: (signal) => new Promise((r) => { const t = setTimeout(() => r([]), 100); signal?.addEventListener('abort', () => { clearTimeout(t); r([]); }); }),
          async stop() { note(file, 'stop-begin ' + id); await new Promise((r) => setTimeout(r, 3000)); note(file, 'stop-end ' + id); },
        };
      },
    }),
  },
};
`;

interface Event {
  what: string;
  pid: number;
  at: number;
}

async function readEvents(file: string): Promise<Event[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Event);
}

test('a task that takes 3 s to stop: its next owner starts only after it has stopped', async () => {
  const c = await cluster.ready();
  const plugin = join(c.dir, 'plugins', 'slow-stop');
  await mkdir(plugin, { recursive: true });
  await writeFile(
    join(plugin, 'package.json'),
    JSON.stringify({ name: 'slow-stop', type: 'module', main: 'index.js' }),
  );
  await writeFile(join(plugin, 'index.js'), SLOW_STOP_PLUGIN);
  const w1 = await c.start('w1');
  const events = join(c.dir, 'events.jsonl');
  await writeFile(events, '');
  const config = { 'connector.class': 'SlowStopSource', events, topic: 'unused', 'tasks.num': '2' };
  assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'slow', config })).status, 201);
  const read = () => readEvents(events);
  await until(
    'both tasks on w1',
    async () => (await read()).filter((e) => e.what.startsWith('start')).length === 2,
  ).catch(async (err: unknown) => {
    const status = await c.call('w1', 'GET', '/connectors/slow/status');
    throw new Error(`${err}: ${JSON.stringify(status.json)}\n${w1.log.join('').slice(-3000)}`);
  });
  // w2 joins: task 1 moves to it, and both restart under a new epoch.
  const w2 = await c.start('w2');
  await until(
    'a task started on w2',
    async () => (await read()).some((e) => e.pid === w2.process.pid && e.what.startsWith('start')),
    30_000,
  );
  const all = await read();
  const firstOnW2 = all.find((e) => e.pid === w2.process.pid && e.what.startsWith('start'))!;
  const stopEnds = all.filter((e) => e.pid === w1.process.pid && e.what.startsWith('stop-end'));
  assert.equal(stopEnds.length, 2, 'w1 stopped both tasks of the old epoch');
  for (const end of stopEnds)
    assert.ok(end.at <= firstOnW2.at, `w2 started at ${firstOnW2.at}, before w1's ${end.what} at ${end.at}`);
  assert.equal((await c.call('w1', 'DELETE', '/connectors/slow')).status, 204);
});

test('a removed connector leaves no positions in the cluster: one created again under its name starts afresh', async () => {
  const c = cluster();
  const admin = new Admin({ namesrvAddr: c.namesrvAddr });
  await admin.createTopic('forget-cluster', { readQueueNums: 1, writeQueueNums: 1 });
  admin.close();
  const input = join(c.dir, 'forget.txt');
  await writeFile(input, 'f1\nf2\nf3\n');
  const consumer = new PullConsumer({ namesrvAddr: c.namesrvAddr, group: 'forget-cluster-count' });
  try {
    const stored = async () => {
      let n = 0n;
      for (const q of await consumer.queues('forget-cluster')) n += await consumer.maxOffset(q);
      return n;
    };
    const config = { 'connector.class': 'FileStreamSource', file: input, topic: 'forget-cluster' };
    assert.equal((await c.call('w2', 'POST', '/connectors', { name: 'forget', config })).status, 201);
    await until('the three lines in RocketMQ', async () => (await stored()) === 3n, 30_000);
    await until(
      'a stored position',
      async () =>
        ((await c.call('w1', 'GET', '/connectors/forget/offsets')).json as { offsets: unknown[] }).offsets
          .length > 0,
      30_000,
    );
    // Removed on one worker, created again on the other.
    assert.equal((await c.call('w1', 'DELETE', '/connectors/forget')).status, 204);
    assert.equal((await c.call('w2', 'POST', '/connectors', { name: 'forget', config })).status, 201);
    await until('the file read again from its start', async () => (await stored()) === 6n, 30_000);
  } finally {
    await consumer.close();
  }
});

test('a task restart, asked of any worker, restarts that task where it runs and no other', async () => {
  const c = cluster();
  const events = join(c.dir, 'solo.jsonl');
  await writeFile(events, '');
  const config = { 'connector.class': 'SlowStopSource', events, topic: 'unused', 'tasks.num': '2' };
  assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'solo', config })).status, 201);
  const read = () => readEvents(events);
  const placement = async () =>
    (
      (await c.call('w1', 'GET', '/connectors/solo/status')).json as {
        tasks: { state: string; worker_id: string }[];
      }
    ).tasks;
  await until('two tasks running on two workers', async () => {
    const tasks = await placement();
    return (
      tasks.length === 2 &&
      tasks.every((t) => t.state === 'RUNNING') &&
      tasks[0]!.worker_id !== tasks[1]!.worker_id
    );
  });
  const owner = (await placement())[1]!.worker_id;
  const other = owner === 'w1' ? 'w2' : 'w1';
  const before = (await read()).length;
  assert.equal((await c.call(other, 'POST', '/connectors/solo/tasks/1/restart')).status, 204);
  await until(
    'task 1 started again',
    async () => (await read()).filter((e) => e.what === 'start 1').length === 2,
  );
  const after = (await read())
    .slice(before)
    .map((e) => `${e.what}@${e.pid === c.workers.get(owner)!.process.pid ? 'owner' : 'other'}`);
  assert.deepEqual(after, ['stop-begin 1@owner', 'stop-end 1@owner', 'start 1@owner'], 'task 0 untouched');
  assert.equal((await c.call('w1', 'DELETE', '/connectors/solo')).status, 204);
});

test('two changes sent at once to two workers: the second is checked against the first or refused, never merged unchecked', async () => {
  const c = cluster();
  const base = {
    'connector.class': 'KafkaSource',
    'kafka.bootstrap.server': '127.0.0.1:1',
    'kafka.topic': 'k0',
    'rocketmq.topic': 'r0',
  };
  const body = { name: 'cas', config: base, initial_state: 'STOPPED' };
  assert.equal((await c.call('w1', 'POST', '/connectors', body)).status, 201);
  const configOn = async (w: string) =>
    JSON.stringify((await c.call(w, 'GET', '/connectors/cas/config')).json);
  const agreed = async () => {
    let seen = '';
    await until('both workers show one config', async () => {
      seen = await configOn('w1');
      return seen === (await configOn('w2'));
    });
    return JSON.parse(seen) as Record<string, string>;
  };
  const statuses: number[] = [];
  for (let round = 0; round < 10; round++) {
    await c.call('w1', 'PUT', '/connectors/cas/config', { ...base, 'kafka.topic': `k${round}` });
    await until('w2 has the reset', async () => (await configOn('w2')).includes(`"k${round}"`));
    // Each change is valid on its own; both together name topics two ways, which is refused.
    const [a, b] = await Promise.all([
      c.call('w1', 'PATCH', '/connectors/cas/config', {
        'kafka.topics': `list${round}`,
        'kafka.topic': '',
        'rocketmq.topic': '',
      }),
      c.call('w2', 'PATCH', '/connectors/cas/config', { 'kafka.topic': `other${round}` }),
    ]);
    statuses.push(a.status, b.status);
    const final = await agreed();
    const both = final['kafka.topics'] !== undefined && final['kafka.topic'] !== undefined;
    assert.ok(
      !both,
      `round ${round}: ${a.status}/${b.status} stored a config no check passed: ${JSON.stringify(final)}`,
    );
    for (const s of [a.status, b.status]) assert.ok([200, 400, 409].includes(s), `status ${s}`);
  }
  process.stdout.write(`# concurrent PATCH statuses: ${statuses.join(' ')}\n`);
  assert.equal((await c.call('w1', 'DELETE', '/connectors/cas')).status, 204);
});
