import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = join(import.meta.dirname, '../../src/cli/sluice.ts');

function sluice(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=sluice:source', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SLUICE_URL: 'http://127.0.0.1:9' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

test('sluice --version prints the package version', async () => {
  const { version } = JSON.parse(await readFile(join(import.meta.dirname, '../../package.json'), 'utf8'));
  for (const flag of ['--version', '-v']) {
    const r = await sluice(flag);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  }
});

test('sluice --help and every command’s --help answer on stdout with exit 0', async () => {
  const top = await sluice('--help');
  assert.equal(top.code, 0);
  for (const c of ['standalone', 'worker', 'plugins', 'workers', 'connectors'])
    assert.match(top.stdout, new RegExp(`\\n  ${c} `));
  for (const args of [
    ['worker', '--help'],
    ['standalone', '--help'],
    ['help', 'worker'],
    ['connectors', '--help'],
    ['connectors', 'restart', '--help'],
    ['connectors', 'offsets', '-h'],
  ]) {
    const r = await sluice(...args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /^Usage: sluice /, args.join(' '));
    assert.equal(r.stderr, '', args.join(' '));
  }
  assert.match((await sluice('worker', '--help')).stdout, /--set <key=value>/);
  assert.match((await sluice('connectors', 'restart', '--help')).stdout, /--include-tasks/);
});

test('bad usage: one line on stderr and exit 2; a missing worker: exit 2 and where it looked', async () => {
  for (const args of [
    ['frobnicate'],
    ['worker'],
    ['worker', 'a.conf', 'b.conf'],
    ['connectors', 'get'],
    ['--nope'],
  ]) {
    const r = await sluice(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^sluice: [^\n]+\n$/, args.join(' '));
  }
  const r = await sluice('connectors', 'list');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sluice: no worker answers at http:\/\/127\.0\.0\.1:9/);
});
