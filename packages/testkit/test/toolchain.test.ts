import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { javaMajor, requireJava, requireMaven, TestkitError } from '@sluice/testkit';

const ROOT = join(import.meta.dirname, '../../..');
let empty: string;
before(async () => {
  empty = await mkdtemp(join(tmpdir(), 'sluice-toolchain-'));
});
after(() => rm(empty, { recursive: true, force: true }));

test('javaMajor reads both version styles', () => {
  assert.equal(javaMajor('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment'), 17);
  assert.equal(javaMajor('java version "21" 2023-09-19'), 21);
  assert.equal(javaMajor('java version "1.8.0_402"'), 8);
  assert.equal(javaMajor('nothing here'), undefined);
});

test('no java or mvn on PATH: one line that names the Debian packages', () => {
  for (const check of [requireJava, requireMaven]) {
    assert.throws(
      () => check({ ...process.env, PATH: empty }),
      (err: unknown) =>
        err instanceof TestkitError &&
        !err.message.includes('\n') &&
        err.message.includes('apt-get install openjdk-17-jre-headless maven'),
    );
  }
  // The machine's own Java and Maven pass.
  requireJava();
  requireMaven();
});

/** Runs a repo script with a PATH that has node but neither java nor mvn. */
async function runWithoutJava(script: string, args: string[] = []) {
  const bin = join(empty, 'bin');
  await rm(bin, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(bin));
  await symlink(process.execPath, join(bin, 'node'));
  const child = spawn(process.execPath, ['--conditions=sluice:source', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, PATH: bin, SLUICE_CACHE_DIR: join(empty, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}

test('the demo and the test runner without Java: one line on stderr, exit 1, no stack trace', async () => {
  for (const [script, args] of [
    ['scripts/demo.ts', ['--duration', '5']],
    ['scripts/test.ts', ['kafka.it.test']],
    ['packages/testkit/src/cli.ts', []],
  ] as const) {
    const { code, stderr } = await runWithoutJava(script, [...args]);
    assert.equal(code, 1, `${script}: ${stderr}`);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${script} printed:\n${stderr}`);
    assert.match(lines[0]!, /^sluice: .*Java.*apt-get install openjdk-17-jre-headless maven/, script);
  }
});
