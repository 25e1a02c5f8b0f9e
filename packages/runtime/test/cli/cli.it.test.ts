import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../src/cli/client.ts';
import { runClient } from '../../src/cli/program.ts';
import { useHttpWorker } from '../http/http-worker.ts';

// Every client command against a real worker (its HTTP server on brokers the testkit started):
// what it prints on stdout and stderr, and its exit code.

const http = useHttpWorker('cli-1', 'cli');
const workerUrl = () => `http://127.0.0.1:${http().port}`;

/** One command line, as `sluice` runs it: stdout, stderr and the exit code apart. */
async function sluice(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runClient(
    [...args, '--url', workerUrl()],
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join(''), err: err.join('') };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(http().dir, name);
  await writeFile(path, text);
  return path;
}

test('connectors: create, list, get, status, pause, resume, update, restart, stop, offsets, delete', async () => {
  const props = await file(
    'cli1.properties',
    `name=cli1\nconnector.class=FileStreamSource\nfile=${join(http().dir, 'in.txt')}\ntopic=cli\n`,
  );
  assert.deepEqual(await sluice('connectors', 'create', props), { code: 0, out: 'created cli1\n', err: '' });
  const list = await sluice('connectors', 'list');
  assert.match(list.out, /^NAME\s+TYPE\s+STATE\s+TASKS\n/);
  assert.match(list.out, /cli1\s+source\s+RUNNING\s+1\/1 running/);
  assert.match((await sluice('connectors', 'get', 'cli1')).out, /topic\s+cli/);
  assert.match((await sluice('connectors', 'status', 'cli1')).out, /^cli1: RUNNING\nTASK\s+STATE\s+WORKER/);
  assert.equal((await sluice('connectors', 'pause', 'cli1')).out, 'paused cli1\n');
  assert.equal(
    JSON.parse((await sluice('connectors', 'status', 'cli1', '--json')).out).connector.state,
    'PAUSED',
  );
  assert.equal(
    parseYaml((await sluice('connectors', 'status', 'cli1', '-o', 'yaml')).out).connector.state,
    'PAUSED',
  );
  assert.equal((await sluice('connectors', 'resume', 'cli1')).out, 'resumed cli1\n');
  assert.equal((await sluice('connectors', 'update', 'cli1', '{"batch.size":9}')).code, 0);
  assert.match((await sluice('connectors', 'get', 'cli1')).out, /batch\.size\s+9/);
  assert.equal((await sluice('connectors', 'update', 'cli1', '{"batch.size":null}')).code, 0);
  assert.doesNotMatch((await sluice('connectors', 'get', 'cli1')).out, /batch\.size/);
  assert.equal((await sluice('connectors', 'restart', 'cli1')).out, 'restarted cli1\n');
  assert.equal(
    (await sluice('connectors', 'restart', 'cli1', '--task', '0')).out,
    'restarted task 0 of cli1\n',
  );
  assert.equal((await sluice('connectors', 'stop', 'cli1')).out, 'stopped cli1\n');
  assert.equal((await sluice('connectors', 'offsets', 'cli1')).out.split('\n')[0], 'PARTITION  OFFSET');
  assert.equal((await sluice('connectors', 'offsets', 'cli1', '--reset')).out, 'reset the offsets of cli1\n');
  const setTo = JSON.stringify({
    offsets: [{ partition: { filename: join(http().dir, 'in.txt') }, offset: { position: 0 } }],
  });
  assert.equal(
    (await sluice('connectors', 'offsets', 'cli1', '--set', setTo)).out,
    'altered the offsets of cli1\n',
  );
  await assert.rejects(sluice('connectors', 'offsets', 'cli1', '--set', '{x'), /not valid JSON/);
  await assert.rejects(sluice('connectors', 'offsets', 'cli1', '--set', setTo, '--reset'), /not both/);
  assert.equal((await sluice('connectors', 'delete', 'cli1')).out, 'deleted cli1\n');
  const gone = await sluice('connectors', 'status', 'cli1');
  assert.deepEqual(
    gone,
    { code: 1, out: '', err: 'error 404: connector cli1 not found\n' },
    'refused: stderr, exit 1',
  );
  const goneJson = await sluice('connectors', 'status', 'cli1', '--json');
  assert.deepEqual(JSON.parse(goneJson.err), { error_code: 404, message: 'connector cli1 not found' });
  await assert.rejects(sluice('connectors', 'frobnicate', 'x'), UsageError);
  await assert.rejects(sluice('connectors', 'update', 'x', '{bad'), /not valid JSON/);
});

test('apply -f creates, changes, or leaves alone; describe shows it whole; validate checks a file', async () => {
  const path = await file(
    'app.yaml',
    `name: app\nconfig:\n  connector.class: FileStreamSource\n  file: ${join(http().dir, 'in.txt')}\n  topic: cli\n  tasks.max: 1\n`,
  );
  assert.deepEqual(await sluice('apply', '-f', path), { code: 0, out: 'app created\n', err: '' });
  assert.equal(
    (await sluice('apply', '-f', path)).out,
    'app unchanged\n',
    'the same config is not sent again',
  );
  await writeFile(
    path,
    `name: app\nconfig:\n  connector.class: FileStreamSource\n  file: ${join(http().dir, 'in.txt')}\n  topic: cli\n  tasks.max: 1\n  batch.size: 5\n`,
  );
  assert.equal((await sluice('apply', '-f', path)).out, 'app configured\n');
  assert.deepEqual(JSON.parse((await sluice('apply', '-f', path, '-o', 'json')).out), {
    name: 'app',
    result: 'unchanged',
  });

  const described = await sluice('describe', 'app');
  assert.equal(described.code, 0);
  for (const part of [
    /^Name:\s+app$/m,
    /^Type:\s+source$/m,
    /^Config:$/m,
    /batch\.size\s+5/,
    /^Tasks:$/m,
    /^Offsets:$/m,
    /^Topics:/m,
  ])
    assert.match(described.out, part);
  const whole = JSON.parse((await sluice('describe', 'app', '--json')).out);
  assert.deepEqual(Object.keys(whole).sort(), ['config', 'name', 'offsets', 'status', 'topics', 'type']);
  assert.equal((await sluice('describe', 'nope')).code, 1);

  assert.deepEqual(await sluice('validate', '-f', path), { code: 0, out: 'app: valid\n', err: '' });
  const bad = await file(
    'bad.json',
    JSON.stringify({
      name: 'b',
      config: { 'connector.class': 'FileStreamSource', 'batch.size': '0', typo: 'x' },
    }),
  );
  const checked = await sluice('validate', '-f', bad);
  assert.equal(checked.code, 1, 'problems: exit 1');
  assert.match(checked.out, /^b: \d+ problem\(s\)\nKEY\s+PROBLEM\n/);
  for (const key of ['file', 'batch.size', 'typo'])
    assert.match(checked.out, new RegExp(`^${key.replace('.', '\\.')}\\s`, 'm'));
  await assert.rejects(sluice('validate', '-f', join(http().dir, 'missing.json')), /ENOENT|no such file/);
  await assert.rejects(sluice('apply'), /--file/);
  assert.equal((await sluice('connectors', 'delete', 'app')).code, 0);
});

test('plugins, plugins describe, info, workers, logs level, restart --failed', async () => {
  const plugins = await sluice('plugins');
  assert.match(plugins.out, /^CLASS\s+TYPE\s+VERSION\n/);
  assert.match(plugins.out, /FileStreamSink\s+sink\s+0\.1\.0/);
  assert.equal((await sluice('plugins', 'list', '--json')).code, 0);
  const keys = await sluice('plugins', 'describe', 'org.apache.kafka.connect.file.FileStreamSourceConnector');
  assert.match(keys.out, /^KEY\s+TYPE\s+REQUIRED\s+DEFAULT\s+DESCRIPTION\n/);
  assert.match(keys.out, /^batch\.size\s+INT\s+/m);
  assert.equal((await sluice('plugins', 'describe', 'Nope')).code, 1);
  assert.match((await sluice('info')).out, /^WORKER\s+VERSION\s+CLUSTER\ncli-1\s+0\.1\.0\s+standalone\n$/);
  assert.equal((await sluice('workers')).out, 'WORKER\ncli-1\n');
  assert.match((await sluice('logs', 'level')).out, /^LOGGER\s+LEVEL\nroot\s+INFO\n/);
  assert.equal((await sluice('logs', 'level', 'debug')).out, 'log level DEBUG\n');
  assert.match((await sluice('logs', 'level')).out, /root\s+DEBUG/);
  assert.equal((await sluice('logs', 'level', 'loud')).code, 1, 'a level the worker refuses');
  assert.equal((await sluice('logs', 'level', 'info')).code, 0);

  // A connector whose task fails: its file is a directory.
  const dir = join(http().dir, 'a-dir');
  await mkdir(dir, { recursive: true });
  const broken = await file(
    'broken.json',
    JSON.stringify({
      name: 'broken',
      config: { 'connector.class': 'FileStreamSource', file: dir, topic: 'cli' },
    }),
  );
  assert.equal((await sluice('connectors', 'create', broken)).code, 0);
  const failed = async () =>
    JSON.parse((await sluice('connectors', 'status', 'broken', '--json')).out).tasks[0]?.state;
  for (let i = 0; i < 100 && (await failed()) !== 'FAILED'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await failed(), 'FAILED');
  assert.equal((await sluice('connectors', 'restart', '--failed')).out, 'restarted what failed in broken\n');
  await assert.rejects(sluice('connectors', 'restart'), /--failed/);
  assert.equal((await sluice('connectors', 'delete', 'broken')).code, 0);
  assert.equal((await sluice('connectors', 'restart', '--failed')).out, 'nothing has failed\n');
});

test('top and connectors status --watch: refreshed views, bounded by -n', async () => {
  await writeFile(join(http().dir, 'top.txt'), 'one\ntwo\nthree\n');
  const props = await file(
    'top.properties',
    `name=top1\nconnector.class=FileStreamSource\nfile=${join(http().dir, 'top.txt')}\ntopic=cli\n`,
  );
  assert.equal((await sluice('connectors', 'create', props)).code, 0);
  const top = await sluice('top', '-n', '2', '--interval', '0.5');
  assert.equal(top.code, 0, top.err);
  assert.match(top.out, /^sluice top · \d\d:\d\d:\d\d · 1 worker\(s\) · 1 connector\(s\)\n/);
  assert.match(top.out, /^WORKER\s+LEADER\s+TASKS\s+HEARTBEAT\s+REC\/S\s+RSS\s+HEAP\s+LOOP P99\n/m);
  assert.match(top.out, /^cli-1\s.*\d+Mi\s+\d+Mi\s+[\d.]+ms$/m);
  assert.match(top.out, /^top1\s+source\s+(RUNNING|UNASSIGNED)\s+[01]\/1\s+(-|\d+)\s+\d+\s+0/m);
  // Into a pipe, a frame is printed again only when it changed: one steady status, once.
  for (let i = 0; i < 50 && !/RUNNING/.test((await sluice('connectors', 'status', 'top1')).out); i++)
    await new Promise((r) => setTimeout(r, 100));
  const watched = await sluice('connectors', 'status', 'top1', '--watch', '-n', '3', '--interval', '0.1');
  assert.equal(watched.code, 0);
  assert.equal(watched.out.match(/^top1: RUNNING$/gm)?.length, 1, watched.out);
  await assert.rejects(sluice('top', '--interval', '0'), /--interval must be a positive number/);
  await assert.rejects(sluice('connectors', 'status', 'top1', '-w', '-n', 'x'), /--iterations/);
  assert.equal((await sluice('connectors', 'delete', 'top1')).code, 0);
});

test('the config file gives the URL, token and output; flags win; no worker is exit 2', async () => {
  const url = workerUrl();
  const home = join(http().dir, 'home');
  const configDir = join(home, '.config', 'sluice');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'config'), `url=${url}\noutput=json\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const k of ['XDG_CONFIG_HOME', 'SLUICE_CONFIG', 'SLUICE_URL', 'SLUICE_TOKEN']) delete env[k];
  const bin = join(import.meta.dirname, '../../src/cli/sluice.ts');
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--conditions=sluice:source', bin, ...args], { env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  const fromFile = await run('workers');
  assert.equal(fromFile.code, 0);
  assert.deepEqual(JSON.parse(fromFile.stdout), [{ worker_id: 'cli-1' }], 'url and output from the file');
  assert.equal((await run('workers', '--output', 'table')).stdout, 'WORKER\ncli-1\n', 'a flag wins');
  const away = await run('workers', '--url', 'http://127.0.0.1:9');
  assert.equal(away.code, 2);
  assert.match(away.stderr, /^sluice: no worker answers at http:\/\/127\.0\.0\.1:9/);
  assert.equal(away.stdout, '');
  await writeFile(join(configDir, 'config'), 'colour=red\n');
  const badFile = await run('workers');
  assert.equal(badFile.code, 2);
  assert.match(badFile.stderr, /unknown key colour/);
  assert.equal((await run('connectors', 'frobnicate')).code, 2);
  const help = await run('connectors', 'restart', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--failed/);
  assert.match((await run('--version')).stdout, /^0\.1\.0\n$/);
  const completion = await run('completion', 'bash');
  assert.match(completion.stdout, /complete -o default -F _sluice_complete sluice/);
  assert.match(completion.stdout, /"connectors restart"\) words="[^"]*--failed/);
  assert.equal((await run('completion', 'fish')).code, 2);
});
