// What an idle FileStreamSource task costs by itself, without a worker: N tasks on empty files,
// each polled in a loop as a runner would (a poll waits poll.interval.ms when nothing is new).
// Prints CPU µs per idle poll, garbage collections and RSS over a window after a warm-up.
//
//   node --conditions=sluice:source bench/idle-file-source.ts [--tasks 600] [--seconds 15]
//
// The part of an idle task's cost that is the connector's own, to set against the worker's
// (bench/scale.ts). Not part of the tests.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { SourceTaskContext } from '@sluice/connect-api';
import { AllowedDirs, FileSourceTask } from '@sluice/connector-file';

const { values } = parseArgs({
  options: { tasks: { type: 'string', default: '600' }, seconds: { type: 'string', default: '15' } },
});
const n = Number(values.tasks);
const seconds = Number(values.seconds);
const dir = await mkdtemp(join(tmpdir(), 'sluice-idle-'));
let gcs = 0;
let gcMs = 0;
const gc = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcs++;
    gcMs += e.duration;
  }
});
gc.observe({ entryTypes: ['gc'] });
const stop = new AbortController();
const ctx = { position: async () => undefined } as unknown as SourceTaskContext;
const loops: Promise<void>[] = [];
let polls = 0;
try {
  for (let i = 0; i < n; i++) {
    const file = join(dir, `f${i}.txt`);
    await writeFile(file, '');
    const task = new FileSourceTask(new AllowedDirs([dir]));
    await task.start({ file, topic: 'idle' }, ctx);
    loops.push(
      (async () => {
        while (!stop.signal.aborted) {
          await task.poll(stop.signal);
          polls++;
        }
        await task.stop();
      })(),
    );
  }
  await new Promise((r) => setTimeout(r, 3000));
  const cpu0 = process.cpuUsage();
  const [polls0, gcs0, gcMs0] = [polls, gcs, gcMs];
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const done = polls - polls0;
  console.log(
    `${n} idle tasks, ${seconds} s: ${done} polls (${(done / seconds).toFixed(0)}/s), ` +
      `${((cpu.user + cpu.system) / done).toFixed(1)} CPU µs per poll ` +
      `(${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} of a core), ` +
      `${gcs - gcs0} GCs taking ${(gcMs - gcMs0).toFixed(0)} ms, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  stop.abort();
  await Promise.all(loops);
  gc.disconnect();
  await rm(dir, { recursive: true, force: true });
}
