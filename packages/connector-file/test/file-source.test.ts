import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SourcePosition, SourceTaskContext } from '@sluice/connect-api';
import { FileSourceTask } from '../src/index.ts';

function ctx(stored?: SourcePosition): SourceTaskContext {
  const noop = () => {};
  return {
    connector: 'c',
    taskId: 0,
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    position: async () => stored,
    reportBadRecord: async () => {},
  };
}

test('reads whole lines, leaves a partial last line, resumes from a stored position', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'file-source-'));
  const file = join(dir, 'in.txt');
  try {
    await writeFile(file, 'one\ntwo\r\nthr');
    const task = new FileSourceTask();
    await task.start({ file, topic: 't' }, ctx());
    const signal = new AbortController().signal;
    const first = await task.poll(signal);
    assert.deepEqual(
      first.map((r) => Buffer.from(r.value!).toString()),
      ['one', 'two'],
    );
    assert.deepEqual(
      first.map((r) => r.sourcePosition),
      [{ position: 4 }, { position: 9 }],
    );
    assert.deepEqual(await task.poll(signal), [], 'the partial line waits for its newline');
    await appendFile(file, 'ee\nfour\n');
    const second = await task.poll(signal);
    assert.deepEqual(
      second.map((r) => Buffer.from(r.value!).toString()),
      ['three', 'four'],
    );
    await task.stop();

    const resumed = new FileSourceTask();
    await resumed.start({ file, topic: 't' }, ctx({ position: 9 }));
    assert.deepEqual(
      (await resumed.poll(signal)).map((r) => Buffer.from(r.value!).toString()),
      ['three', 'four'],
    );
    await resumed.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('poll returns soon after the signal aborts, and batch.size bounds a poll', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'file-source-'));
  const file = join(dir, 'in.txt');
  try {
    await writeFile(file, `${Array.from({ length: 10 }, (_, i) => `l${i}`).join('\n')}\n`);
    const task = new FileSourceTask();
    await task.start({ file, topic: 't', 'batch.size': '4', 'poll.interval.ms': '60000' }, ctx());
    const stop = new AbortController();
    assert.equal((await task.poll(stop.signal)).length, 4);
    assert.equal((await task.poll(stop.signal)).length, 4);
    assert.equal((await task.poll(stop.signal)).length, 2);
    const waiting = task.poll(stop.signal);
    setTimeout(() => stop.abort(), 50);
    assert.deepEqual(await waiting, []);
    await task.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an idle task polling for hours holds nothing per poll: no listener or timer is left behind', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'file-source-'));
  const file = join(dir, 'in.txt');
  try {
    await writeFile(file, '');
    const task = new FileSourceTask();
    await task.start({ file, topic: 't', 'poll.interval.ms': '1' }, ctx());
    const stop = new AbortController();
    for (let i = 0; i < 200; i++) assert.deepEqual(await task.poll(stop.signal), []);
    // Every empty poll waits on the task's signal: one listener for the task's life, not one
    // per poll (those were never freed until stop), and none once it stopped.
    assert.equal(getEventListeners(stop.signal, 'abort').length, 1);
    await task.stop();
    assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a large file is read ahead by a bounded amount, however many lines a poll takes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'file-source-'));
  const file = join(dir, 'big.txt');
  try {
    const line = `${'x'.repeat(1023)}\n`;
    await writeFile(file, line.repeat(24 * 1024)); // 24 MiB
    const task = new FileSourceTask();
    await task.start({ file, topic: 't', 'batch.size': '100' }, ctx());
    const stop = new AbortController();
    let lines = 0;
    let most = 0;
    while (lines < 24 * 1024) {
      lines += (await task.poll(stop.signal)).length;
      most = Math.max(most, task.readAhead);
    }
    // Each poll takes 100 lines (100 KiB); reading 4 MiB at every poll grew the buffer by ~4 MiB
    // a poll until the whole file was in memory.
    assert.ok(most <= 4 * 1024 * 1024 + 1024, `read ahead ${most} bytes`);
    await task.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
