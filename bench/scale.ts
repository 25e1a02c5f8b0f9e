// Many connectors on a small cluster: three `sluice worker` processes (the compiled CLI) on the
// test kit's RocketMQ, N file-source connectors of one task each created through the HTTP API.
// Measures the create rate, the time until every task is RUNNING, RSS per worker (idle, loaded,
// per task), the time until every task runs again after one worker is SIGKILLed, and the size of
// the config log (messages, bytes, the largest record, snapshots).
//
//   npm run build && node --conditions=sluice:source bench/scale.ts [--connectors 2000]
//     [--workers 3] [--parallel 8]
//
// Prints a table against the targets of issue 19; writes bench/results/scale-<time>.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Admin, PullConsumer } from '@sluice/rocketmq';
import { startBrokers } from '@sluice/testkit';
import {
  callWorker,
  startWorkerProcess,
  until,
  type WorkerProcess,
} from '../packages/runtime/test/cluster/worker-process.ts';
import { rssMiB } from './e2e/proc.ts';

const { values } = parseArgs({
  options: {
    connectors: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '3' },
    parallel: { type: 'string', default: '8' },
  },
});
const n = Number(values.connectors);
const workerCount = Number(values.workers);
const parallel = Number(values.parallel);
const say = (s: string) => process.stdout.write(`${s}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

type Status = Record<string, { status?: { tasks?: { state: string; worker_id: string }[] } }>;

/** Tasks by state and by worker, from one worker's view of every connector's status. */
async function census(w: WorkerProcess) {
  const r = await callWorker(w, 'GET', '/connectors?expand=status');
  const byState = new Map<string, number>();
  const byWorker = new Map<string, number>();
  let connectors = 0;
  for (const c of Object.values((r.json ?? {}) as Status)) {
    connectors++;
    for (const t of c.status?.tasks ?? []) {
      byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
      if (t.state === 'RUNNING') byWorker.set(t.worker_id, (byWorker.get(t.worker_id) ?? 0) + 1);
    }
  }
  return { connectors, running: byState.get('RUNNING') ?? 0, byState, byWorker };
}

/**
 * The config log: messages, bytes, the largest message, how many hold a snapshot, and the bytes
 * of each kind of record (a record split into parts counts under its own kind).
 */
async function configLog(namesrvAddr: string) {
  const consumer = new PullConsumer({ namesrvAddr, group: `bench-scale-reader-${Date.now()}` });
  let messages = 0;
  let bytes = 0;
  let largest = 0;
  let snapshots = 0;
  const byKind = new Map<string, { messages: number; bytes: number; largest: number }>();
  const partKinds = new Map<string, string>();
  for (const q of await consumer.queues('connector-config-topic')) {
    const end = await consumer.maxOffset(q);
    for (let o = await consumer.minOffset(q); o < end; ) {
      const r = await consumer.pull(q, o, { maxMessages: 32 });
      for (const m of r.messages) {
        messages++;
        bytes += m.body.length;
        largest = Math.max(largest, m.body.length);
        const v = JSON.parse(m.body.toString()) as { kind?: string; id?: string; text?: string };
        let kind = v.kind ?? '?';
        if (kind === 'part') {
          const known = partKinds.get(v.id ?? '') ?? /^\{"kind":"(\w+)"/.exec(v.text ?? '')?.[1] ?? '?';
          partKinds.set(v.id ?? '', known);
          kind = known;
        }
        if (kind === 'snapshot') snapshots++;
        const k = byKind.get(kind) ?? { messages: 0, bytes: 0, largest: 0 };
        k.messages++;
        k.bytes += m.body.length;
        k.largest = Math.max(k.largest, m.body.length);
        byKind.set(kind, k);
      }
      o = r.nextBeginOffset;
    }
  }
  await consumer.close();
  return { messages, bytes, largest, snapshots, byKind: Object.fromEntries(byKind) };
}

const brokers = await startBrokers({ kafka: false });
const dir = await mkdtemp(join(tmpdir(), 'sluice-scale-'));
const workers = new Map<string, WorkerProcess>();
const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  node: process.version,
  n,
  workerCount,
};
try {
  const { namesrvAddr } = brokers.rocketmq!;
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic('scale', { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
  for (let i = 1; i <= workerCount; i++) {
    const id = `w${i}`;
    workers.set(
      id,
      await startWorkerProcess({
        dir,
        namesrvAddr,
        workerId: id,
        built: true,
        // As bench/e2e.ts: extra node flags for the workers, to try V8 settings.
        nodeArgs: process.env.SLUICE_BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
      }),
    );
  }
  const list = [...workers.values()];
  await new Promise((r) => setTimeout(r, 2000));
  const idle = await Promise.all(list.map((w) => rssMiB(w.process.pid!)));
  say(`${workerCount} workers up; idle RSS ${idle.map((m) => m.toFixed(0)).join(', ')} MiB`);

  const files = join(dir, 'in');
  await mkdir(files);
  const created: number[] = [];
  const t0 = performance.now();
  let next = 0;
  // Requests go to every worker in turn, as a load balancer in front of the cluster would.
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        const i = next++;
        const file = join(files, `f${i}.txt`);
        await writeFile(file, '');
        const w = list[i % list.length]!;
        const r = await callWorker(w, 'POST', '/connectors', {
          name: `src-${i}`,
          config: { 'connector.class': 'FileStreamSource', file, topic: 'scale' },
        });
        if (r.status !== 201)
          throw new Error(`create src-${i} on ${w.workerId}: ${r.status} ${JSON.stringify(r.json)}`);
        created.push(performance.now() - t0);
      }
    }),
  );
  const createMs = performance.now() - t0;
  say(`created ${n} connectors in ${secs(createMs)}: ${(n / (createMs / 1000)).toFixed(0)} per second`);

  let last = await census(list[0]!);
  const allRunningMs = await until(
    'every task RUNNING',
    async () => {
      last = await census(list[0]!);
      return last.running === n;
    },
    600_000,
  ).catch((err: unknown) => {
    say(`  not every task RUNNING: ${JSON.stringify(Object.fromEntries(last.byState))}`);
    throw err;
  });
  const runningAfterCreateMs = performance.now() - t0;
  say(
    `every task RUNNING ${secs(runningAfterCreateMs)} after the first create, ${secs(allRunningMs)} after the last; per worker ${JSON.stringify(Object.fromEntries(last.byWorker))}`,
  );
  await new Promise((r) => setTimeout(r, 5000));
  const loaded = await Promise.all(list.map((w) => rssMiB(w.process.pid!)));
  const perTaskKiB = list.map(
    (w, i) => ((loaded[i]! - idle[i]!) * 1024) / (last.byWorker.get(w.workerId) ?? 1),
  );
  say(
    `RSS with the tasks ${loaded.map((m) => m.toFixed(0)).join(', ')} MiB; per idle task ${perTaskKiB.map((k) => k.toFixed(0)).join(', ')} KiB (target ≤ 50 KiB)`,
  );

  const log = await configLog(namesrvAddr);
  say(
    `config log: ${log.messages} messages, ${(log.bytes / 1024 / 1024).toFixed(1)} MiB, largest ${(log.largest / 1024).toFixed(0)} KiB, ${log.snapshots} holding a snapshot`,
  );
  for (const [kind, k] of Object.entries(log.byKind))
    say(
      `  ${kind} records: ${k.messages} messages, ${(k.bytes / 1024 / 1024).toFixed(2)} MiB, largest ${(k.largest / 1024).toFixed(0)} KiB`,
    );

  // Kill the worker with the most tasks that is not the one we ask.
  const victim = [...list.slice(1)].sort(
    (a, b) => (last.byWorker.get(b.workerId) ?? 0) - (last.byWorker.get(a.workerId) ?? 0),
  )[0]!;
  const moved = last.byWorker.get(victim.workerId) ?? 0;
  const k0 = performance.now();
  victim.process.kill('SIGKILL');
  await victim.exited;
  workers.delete(victim.workerId);
  await until(
    'every task RUNNING on the survivors',
    async () => {
      last = await census(list[0]!);
      return last.running === n && !last.byWorker.has(victim.workerId);
    },
    600_000,
  );
  const rebalanceMs = performance.now() - k0;
  say(
    `SIGKILL of ${victim.workerId} (${moved} tasks): every task RUNNING on the others after ${secs(rebalanceMs)}; per worker ${JSON.stringify(Object.fromEntries(last.byWorker))}`,
  );
  const after = await Promise.all([...workers.values()].map((w) => rssMiB(w.process.pid!)));
  say(`RSS of the survivors ${after.map((m) => m.toFixed(0)).join(', ')} MiB`);
  Object.assign(results, {
    idleRssMiB: idle,
    createMs,
    createPerSecond: n / (createMs / 1000),
    runningAfterFirstCreateMs: runningAfterCreateMs,
    runningAfterLastCreateMs: allRunningMs,
    loadedRssMiB: loaded,
    perIdleTaskKiB: perTaskKiB,
    configLog: log,
    rebalance: { victim: victim.workerId, tasks: moved, ms: rebalanceMs, survivorsRssMiB: after },
  });
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(
    `./results/scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  await writeFile(file, JSON.stringify(results, null, 2));
  say(`written ${file.pathname}`);
} finally {
  for (const w of workers.values()) w.process.kill('SIGKILL');
  await Promise.all([...workers.values()].map((w) => w.exited));
  await brokers.stop();
  await rm(dir, { recursive: true, force: true });
}
