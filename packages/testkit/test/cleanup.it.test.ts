import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JVM_MARKER, startBrokers, TestkitError, testkitJvmPids } from '../src/index.ts';

// Alive means: the pid still runs a testkit JVM. A bare `kill(pid, 0)` could see an unrelated
// process that reused the pid (pid_max is 32768 here and JVM threads use pids up fast).
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(JVM_MARKER);
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('stop() leaves no JVM (checked like ps does) and no temp dir', async () => {
  const brokers = await startBrokers({ rocketmq: false });
  const pids = brokers.pids;
  assert.equal(pids.length, 1);
  const listed = await testkitJvmPids();
  for (const pid of pids) assert.ok(listed.includes(pid), 'ps lists the broker JVM while it runs');
  await brokers.stop();
  for (const pid of pids) assert.equal(alive(pid), false, `JVM ${pid} still alive`);
  const after = await testkitJvmPids();
  for (const pid of pids) assert.ok(!after.includes(pid));
  assert.equal(existsSync(brokers.dir), false);
});

test('a parent killed with SIGKILL leaves no orphan JVM; its logs are kept', async () => {
  const fixture = fileURLToPath(new URL('./fixtures/hold-brokers.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=sluice:source', fixture], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    const { pids, dir } = JSON.parse(line) as { pids: number[]; dir: string };
    assert.ok(pids.length > 0 && pids.every(alive));
    child.kill('SIGKILL');
    await until('the reaper to stop the JVMs', () => !pids.some(alive));
    await until('the reaper to remove the data', () => readdirSync(dir).join() === 'logs');
    assert.ok(readdirSync(`${dir}/logs`).length > 0, 'broker logs kept');
    await rm(dir, { recursive: true, force: true });
  } finally {
    child.kill('SIGKILL');
  }
});

test('a broker that is not ready in time fails clearly, stops, and keeps its logs', async () => {
  const before = await testkitJvmPids();
  const err = await startBrokers({ rocketmq: false, kafka: { startTimeoutMs: 1 } }).then(
    () => assert.fail('start should have failed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TestkitError);
  const logFile = /not ready within 1 ms; see (\S+kafka-1\.out)/.exec(err.message)?.[1];
  assert.ok(logFile, err.message);
  const logsDir = dirname(logFile);
  assert.ok(existsSync(logFile), 'the log named in the error is kept');
  assert.equal(readdirSync(dirname(logsDir)).join(), 'logs', 'only the logs are kept');
  await rm(dirname(logsDir), { recursive: true, force: true });
  const after = await testkitJvmPids();
  assert.deepEqual(
    after.filter((p) => !before.includes(p)),
    [],
  );
});
