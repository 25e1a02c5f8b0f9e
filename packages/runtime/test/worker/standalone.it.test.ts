import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Plugin, SinkTask, SourceTask } from '@sluice/connect-api';
import fileConnectors from '@sluice/connector-file';
import { Admin, PullConsumer } from '@sluice/rocketmq';
import { useBrokers } from '@sluice/testkit';
import { parseWorkerConfig } from '../../src/config/worker-config.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';
import { StandaloneWorker } from '../../src/worker/standalone-worker.ts';

const brokers = useBrokers({ kafka: false });
const CLI = fileURLToPath(new URL('../../src/cli/sluice.ts', import.meta.url));
let dir: string;
let namesrvAddr: string;

before(async () => {
  namesrvAddr = (await brokers.ready()).rocketmq!.namesrvAddr;
  dir = await mkdtemp(join(tmpdir(), 'sluice-standalone-'));
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic('lines', { readQueueNums: 4, writeQueueNums: 4 });
  await admin.createTopic('healthy', { readQueueNums: 2, writeQueueNums: 2 });
  await admin.createTopic('reconf', { readQueueNums: 2, writeQueueNums: 2 });
  await admin.createTopic('paused', { readQueueNums: 2, writeQueueNums: 2 });
  admin.close();
});
after(() => rm(dir, { recursive: true, force: true }));

function startWorker(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=sluice:source', CLI, 'standalone', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SLUICE_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"event":"started"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it started:\n${stderr}`)));
  });
}

async function lineCount(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.length === 0 ? 0 : text.split('\n').length - 1;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('file → RocketMQ → file: 100,000 lines, worker killed with SIGKILL twice; every line arrives, in order', async (t) => {
  const input = join(dir, 'in.txt');
  const output = join(dir, 'out.txt');
  const conf = join(dir, 'connect.conf');
  await writeFile(
    conf,
    `workerId=standalone-1\nstorePathRootDir=${join(dir, 'store')}\nnamesrvAddr=${namesrvAddr} #the test's broker\nfileConnectorDirs=${dir}\n`,
  );
  await writeFile(
    join(dir, 'source.properties'),
    `name=file-source\nconnector.class=FileStreamSource\nfile=${input}\ntopic=lines\n`,
  );
  await writeFile(
    join(dir, 'sink.properties'),
    `name=file-sink\nconnector.class=FileStreamSink\nfile=${output}\ntopics=lines\n`,
  );
  await writeFile(input, '');
  const args = [
    conf,
    join(dir, 'source.properties'),
    join(dir, 'sink.properties'),
    '--set',
    'offsetCommitIntervalMs=300',
  ];
  const total = 100_000;

  let worker = await startWorker(args);
  let written = 0;
  const writer = (async () => {
    while (written < total) {
      const n = Math.min(2500, total - written);
      await appendFile(input, Array.from({ length: n }, (_, i) => `line-${written + i}\n`).join(''));
      written += n;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    for (const killAt of [30_000, 65_000]) {
      await waitUntil(`${killAt} lines out`, async () => (await lineCount(output)) >= killAt, 120_000);
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      worker = await startWorker(args);
    }
    await writer;
    await waitUntil(
      'every line out',
      async () => new Set((await readFile(output, 'utf8')).split('\n')).size > total,
      180_000,
    );
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
  const lines = (await readFile(output, 'utf8')).split('\n').filter(Boolean);
  const firstSeen: number[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l)) continue;
    seen.add(l);
    firstSeen.push(Number(l.slice(5)));
  }
  assert.equal(seen.size, total, 'every line arrived');
  assert.deepEqual(
    firstSeen,
    Array.from({ length: total }, (_, i) => i),
    'in file order',
  );
  const duplicates = lines.length - total;
  t.diagnostic(`duplicates after two SIGKILLs: ${duplicates} of ${lines.length} lines written`);
});

test('connectors whose poll or put hangs are timed out and restart by themselves, with the trace; the others keep flowing', async () => {
  const hanging: Plugin = {
    name: 'hanging',
    version: '1.0.0',
    connectors: {
      HangingSource: () => ({
        kind: 'source',
        configSpec: {
          fields: [{ name: 'topic', type: 'string', required: true, doc: 'where nothing goes' }],
        },
        start() {},
        taskConfigs: () => [{}],
        stop() {},
        createTask: (): SourceTask => ({
          start() {},
          poll: () => new Promise(() => {}),
          stop() {},
        }),
      }),
      HangingSink: () => ({
        kind: 'sink',
        configSpec: {
          fields: [{ name: 'topics', type: 'list', required: true, doc: 'what it never writes' }],
        },
        start() {},
        taskConfigs: () => [{}],
        stop() {},
        createTask: (): SinkTask => ({
          start() {},
          put: () => new Promise(() => {}),
          stop() {},
        }),
      }),
    },
  };
  const { config } = parseWorkerConfig(
    `workerId=w2\nstorePathRootDir=${join(dir, 'store2')}\nnamesrvAddr=${namesrvAddr}\nconnectorCallTimeoutMs=1000\noffsetCommitIntervalMs=200\n`,
  );
  const worker = new StandaloneWorker(config, new PluginRegistry([fileConnectors, hanging]), silentLogger);
  await worker.start();
  const input = join(dir, 'healthy-in.txt');
  const output = join(dir, 'healthy-out.txt');
  await writeFile(input, 'a\nb\nc\n');
  try {
    const stuck = await worker.addConnector('stuck', {
      'connector.class': 'HangingSource',
      topic: 'healthy',
    });
    await worker.addConnector('healthy-source', {
      'connector.class': 'FileStreamSource',
      file: input,
      topic: 'healthy',
    });
    await worker.addConnector('healthy-sink', {
      'connector.class': 'FileStreamSink',
      file: output,
      topics: 'healthy',
    });
    const stuckSink = await worker.addConnector('stuck-sink', {
      'connector.class': 'HangingSink',
      topics: 'healthy',
    });
    // A call that hangs looks like an outage: the task restarts by itself, with backoff.
    await waitUntil(
      'the hung task to restart',
      async () => stuck.tasks[0]?.status.state === 'RESTARTING',
      10_000,
    );
    assert.match(stuck.tasks[0]!.status.trace ?? '', /poll did not return within 1000 ms/);
    assert.ok((stuck.tasks[0]!.status.restart?.attempt ?? 0) >= 1);
    await waitUntil(
      'the hung sink to restart',
      async () => stuckSink.tasks[0]?.status.state === 'RESTARTING',
      20_000,
    );
    assert.match(stuckSink.tasks[0]!.status.trace ?? '', /put did not return within 1000 ms/);
    await waitUntil('the healthy pipeline to deliver', async () => (await lineCount(output)) >= 3, 20_000);
    await appendFile(input, 'd\n');
    await waitUntil('it to keep delivering', async () => (await lineCount(output)) >= 4, 20_000);
  } finally {
    await worker.stop();
  }
});

test('reconfiguring a connector replaces its tasks without losing a line', async () => {
  const { config } = parseWorkerConfig(
    `workerId=w4\nstorePathRootDir=${join(dir, 'store4')}\nnamesrvAddr=${namesrvAddr}\noffsetCommitIntervalMs=200\n`,
  );
  const worker = new StandaloneWorker(config, new PluginRegistry([fileConnectors]), silentLogger);
  await worker.start();
  const input = join(dir, 'reconf-in.txt');
  const output = join(dir, 'reconf-out.txt');
  await writeFile(input, 'r1\nr2\n');
  try {
    const source = await worker.addConnector('reconf-source', {
      'connector.class': 'FileStreamSource',
      file: input,
      topic: 'reconf',
    });
    await worker.addConnector('reconf-sink', {
      'connector.class': 'FileStreamSink',
      file: output,
      topics: 'reconf',
    });
    await waitUntil(
      'the first lines',
      async () => (await readFile(output, 'utf8').catch(() => '')).includes('r2'),
      20_000,
    );
    await source.reconfigure();
    assert.deepEqual(
      source.tasks.map((t) => t.status.state),
      ['RUNNING'],
    );
    await appendFile(input, 'r3\nr4\n');
    await waitUntil(
      'the lines after',
      async () => (await readFile(output, 'utf8').catch(() => '')).includes('r4'),
      20_000,
    );
    const got = (await readFile(output, 'utf8')).split('\n').filter((l) => l.startsWith('r'));
    assert.deepEqual([...new Set(got)], ['r1', 'r2', 'r3', 'r4']);
  } finally {
    await worker.stop();
  }
});

test('connector configs are stored: a restarted worker resumes them; removed ones stay removed', async () => {
  const { config } = parseWorkerConfig(
    `workerId=w5\nstorePathRootDir=${join(dir, 'store5')}\nnamesrvAddr=${namesrvAddr}\n`,
  );
  const input = join(dir, 'persist-in.txt');
  await writeFile(input, '');
  const first = new StandaloneWorker(config, new PluginRegistry([fileConnectors]), silentLogger);
  await first.start();
  await first.addConnector('kept', { 'connector.class': 'FileStreamSource', file: input, topic: 'reconf' });
  await first.addConnector('dropped', {
    'connector.class': 'FileStreamSource',
    file: input,
    topic: 'reconf',
  });
  await first.removeConnector('dropped');
  await first.stop();
  const second = new StandaloneWorker(config, new PluginRegistry([fileConnectors]), silentLogger);
  await second.start();
  try {
    await second.resumeStored();
    assert.deepEqual([...second.connectors.keys()], ['kept']);
    assert.deepEqual(
      second.storedConnectors.map(([n]) => n),
      ['kept'],
    );
  } finally {
    await second.stop();
  }
});

test('bad connector configs are refused with every problem named', async () => {
  const { config } = parseWorkerConfig(
    `workerId=w3\nstorePathRootDir=${join(dir, 'store3')}\nnamesrvAddr=${namesrvAddr}\n`,
  );
  const worker = new StandaloneWorker(config, new PluginRegistry([fileConnectors]), silentLogger);
  await worker.start();
  try {
    await assert.rejects(
      worker.addConnector('bad', { 'connector.class': 'FileStreamSource', 'batch.size': '0', oops: 'x' }),
      (err: Error) => {
        assert.match(err.message, /oops unknown key/);
        assert.match(err.message, /file is required/);
        assert.match(err.message, /batch.size must be at least 1/);
        return true;
      },
    );
    await assert.rejects(
      worker.addConnector('no-class', { whatever: 'x' }),
      /no installed plugin matches these keys/,
    );
    await assert.rejects(
      worker.addConnector('bad/name', { 'connector.class': 'FileStreamSource' }),
      /connector name/,
    );
  } finally {
    await worker.stop();
  }
});

test('a paused connector stays paused across a task restart and a worker restart', async () => {
  const { config } = parseWorkerConfig(
    `workerId=w6\nstorePathRootDir=${join(dir, 'store6')}\nnamesrvAddr=${namesrvAddr}\noffsetCommitIntervalMs=200\n`,
  );
  const input = join(dir, 'paused-in.txt');
  const output = join(dir, 'paused-out.txt');
  await writeFile(input, 'q1\n');
  const has = async (line: string) => (await readFile(output, 'utf8').catch(() => '')).includes(line);
  const sourceState = (w: StandaloneWorker) => w.getConnector('paused-source').tasks[0]?.status.state;
  const first = new StandaloneWorker(config, new PluginRegistry([fileConnectors]), silentLogger);
  await first.start();
  try {
    await first.addConnector('paused-source', {
      'connector.class': 'FileStreamSource',
      file: input,
      topic: 'paused',
    });
    await first.addConnector('paused-sink', {
      'connector.class': 'FileStreamSink',
      file: output,
      topics: 'paused',
    });
    await waitUntil('the first line', () => has('q1'), 20_000);
    await first.pauseConnector('paused-source');
    assert.equal(sourceState(first), 'PAUSED');
    await first.restartTask('paused-source', 0);
    assert.equal(sourceState(first), 'PAUSED', 'a restarted task of a paused connector stays paused');
    await first.restartConnector('paused-source', { includeTasks: true });
    assert.equal(sourceState(first), 'PAUSED');
    await appendFile(input, 'q2\n');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await has('q2'), false, 'no record moves while paused');
  } finally {
    await first.stop();
  }
  const second = new StandaloneWorker(config, new PluginRegistry([fileConnectors]), silentLogger);
  await second.start();
  try {
    await second.resumeStored();
    assert.equal(second.getConnector('paused-source').target, 'PAUSED');
    assert.equal(sourceState(second), 'PAUSED', 'the target state was stored');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await has('q2'), false, 'still no record moves after the restart');
    await second.resumeConnector('paused-source');
    assert.equal(sourceState(second), 'RUNNING');
    await waitUntil('the line written while paused', () => has('q2'), 20_000);
  } finally {
    await second.stop();
  }
});

test('a task that is stopping shows STOPPING until it has really stopped', async () => {
  let release: () => void = () => {};
  const slow: Plugin = {
    name: 'slow-stop',
    version: '1.0.0',
    connectors: {
      SlowStopSink: () => ({
        kind: 'sink',
        configSpec: { fields: [{ name: 'topics', type: 'list', doc: 'topics', required: true }] },
        start() {},
        taskConfigs: () => [{}],
        stop() {},
        createTask: (): SinkTask => ({
          start() {},
          put: async () => {},
          stop: () => new Promise<void>((r) => (release = r)),
        }),
      }),
    },
  };
  const { config } = parseWorkerConfig(
    `workerId=w7\nstorePathRootDir=${join(dir, 'store7')}\nnamesrvAddr=${namesrvAddr}\n`,
  );
  const worker = new StandaloneWorker(config, new PluginRegistry([slow]), silentLogger);
  await worker.start();
  try {
    await worker.addConnector('slow', { 'connector.class': 'SlowStopSink', topics: 'paused' });
    const removing = worker.removeConnector('slow');
    await waitUntil(
      'the task to be stopping',
      async () => worker.getConnector('slow').tasks[0]?.status.state === 'STOPPING',
      10_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      worker.getConnector('slow').tasks[0]?.status.state,
      'STOPPING',
      'still stopping while stop() runs',
    );
    release();
    await removing;
    assert.equal(worker.connectorState('slow'), 'removed');
  } finally {
    release();
    await worker.stop();
  }
});

test('a removed connector leaves no positions: one created again under its name starts afresh', async () => {
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic('forget', { readQueueNums: 1, writeQueueNums: 1 });
  admin.close();
  const { config } = parseWorkerConfig(
    `workerId=w8\nstorePathRootDir=${join(dir, 'store8')}\nnamesrvAddr=${namesrvAddr}\noffsetCommitIntervalMs=100\n`,
  );
  const input = join(dir, 'forget-in.txt');
  await writeFile(input, 'f1\nf2\nf3\n');
  const consumer = new PullConsumer({ namesrvAddr, group: 'forget-count' });
  const stored = async () => {
    let n = 0n;
    for (const q of await consumer.queues('forget')) n += await consumer.maxOffset(q);
    return n;
  };
  const source = { 'connector.class': 'FileStreamSource', file: input, topic: 'forget' };
  const worker = new StandaloneWorker(config, new PluginRegistry([fileConnectors]), silentLogger);
  await worker.start();
  try {
    await worker.addConnector('forget-src', source);
    await waitUntil(
      'a stored position',
      async () => (await worker.connectorOffsets('forget-src')).length > 0,
      20_000,
    );
    await waitUntil('the three lines in RocketMQ', async () => (await stored()) === 3n, 20_000);
    await worker.removeConnector('forget-src');
    await worker.addConnector('forget-src', source);
    await waitUntil('the file read again from its start', async () => (await stored()) === 6n, 20_000);
  } finally {
    await worker.stop();
    await consumer.close();
  }
});
