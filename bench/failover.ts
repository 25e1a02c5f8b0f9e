// Failover times of a three-worker cluster on real brokers: how long until the tasks of a worker
// that was killed (SIGKILL), stopped (SIGTERM) or frozen (SIGSTOP) run on the others.
//
//   node --conditions=sluice:source bench/failover.ts [--trials 10] [--member-timeout-ms 10000]
//
// Uses the default heartbeat settings unless told otherwise. Prints min / median / max per kind
// and the ratio to the budget the cluster issue sets (10 s, 2 s, 30 s). Not part of the tests.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Admin } from '@sluice/rocketmq';
import { startBrokers } from '@sluice/testkit';
import {
  callWorker,
  startWorkerProcess,
  until,
  type WorkerProcess,
} from '../packages/runtime/test/cluster/worker-process.ts';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '10' },
    'member-timeout-ms': { type: 'string', default: '10000' },
    'heartbeat-ms': { type: 'string', default: '2000' },
  },
});
const trials = Number(values.trials);
const settings = {
  memberTimeoutMs: values['member-timeout-ms']!,
  heartbeatIntervalMs: values['heartbeat-ms']!,
  offsetCommitIntervalMs: '1000',
};

const brokers = await startBrokers({ kafka: false });
const dir = await mkdtemp(join(tmpdir(), 'sluice-failover-'));
const workers = new Map<string, WorkerProcess>();
let feeding = true;
try {
  const { namesrvAddr } = brokers.rocketmq!;
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic('failover', { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
  const start = async (id: string) =>
    workers.set(id, await startWorkerProcess({ dir, namesrvAddr, workerId: id, settings }));
  for (const id of ['w1', 'w2', 'w3']) await start(id);
  const w1 = () => workers.get('w1')!;
  const sources = ['s1', 's2', 's3', 's4', 's5'];
  for (const s of sources) {
    await writeFile(join(dir, `${s}.txt`), '');
    await callWorker(w1(), 'POST', '/connectors', {
      name: s,
      config: { 'connector.class': 'FileStreamSource', file: join(dir, `${s}.txt`), topic: 'failover' },
    });
  }
  await callWorker(w1(), 'POST', '/connectors', {
    name: 'sink',
    config: { 'connector.class': 'FileStreamSink', file: join(dir, 'out.txt'), topics: 'failover' },
  });
  const feed = (async () => {
    for (let i = 0; feeding; i++) {
      for (const s of sources) await appendFile(join(dir, `${s}.txt`), `${s}-${i}\n`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const owners = async () => {
    const all = (await callWorker(w1(), 'GET', '/connectors?expand=status')).json as Record<
      string,
      { status: { tasks: { id: number; state: string; worker_id: string }[] } }
    >;
    const out = new Map<string, string>();
    for (const [n, { status }] of Object.entries(all))
      for (const t of status.tasks) if (t.state === 'RUNNING') out.set(`${n}/${t.id}`, t.worker_id);
    return out;
  };
  const settled = () =>
    until(
      'six tasks running on three workers',
      async () => {
        const o = await owners();
        const members = (await callWorker(w1(), 'GET', '/workers')).json as unknown[];
        return o.size === sources.length + 1 && members.length === 3 && new Set(o.values()).size === 3;
      },
      120_000,
    );
  await settled();

  const results: Record<string, number[]> = { SIGKILL: [], SIGTERM: [], SIGSTOP: [] };
  for (const sig of ['SIGKILL', 'SIGTERM', 'SIGSTOP'] as const) {
    for (let i = 0; i < trials; i++) {
      const before = await owners();
      const victim = [...before.values()].find((w) => w !== 'w1')!;
      const moved = [...before].filter(([, w]) => w === victim).map(([t]) => t);
      const t0 = performance.now();
      workers.get(victim)!.process.kill(sig);
      await until(
        'tasks moved',
        async () => {
          const o = await owners();
          return moved.every((t) => o.has(t) && o.get(t) !== victim);
        },
        60_000,
      );
      results[sig]!.push(performance.now() - t0);
      if (sig === 'SIGSTOP') workers.get(victim)!.process.kill('SIGCONT');
      else {
        await workers.get(victim)!.exited;
        await start(victim);
      }
      await settled();
      process.stderr.write(
        `${sig} trial ${i + 1}: ${results[sig]!.at(-1)!.toFixed(0)} ms (${moved.length} tasks)\n`,
      );
    }
  }
  feeding = false;
  await feed;
  const budget: Record<string, number> = { SIGKILL: 10_000, SIGTERM: 2000, SIGSTOP: 30_000 };
  process.stdout.write(
    `\nfailover, ${trials} trials each, memberTimeoutMs=${settings.memberTimeoutMs}, heartbeatIntervalMs=${settings.heartbeatIntervalMs}\n`,
  );
  process.stdout.write('signal   min ms  median ms  max ms  budget ms  max/budget\n');
  for (const [sig, xs] of Object.entries(results)) {
    const sorted = [...xs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    process.stdout.write(
      `${sig.padEnd(8)} ${sorted[0]!.toFixed(0).padStart(6)} ${median.toFixed(0).padStart(10)} ${sorted.at(-1)!.toFixed(0).padStart(7)} ${String(budget[sig]).padStart(10)} ${(sorted.at(-1)! / budget[sig]!).toFixed(2).padStart(11)}\n`,
    );
  }
} finally {
  feeding = false;
  for (const w of workers.values()) {
    w.process.kill('SIGCONT');
    w.process.kill('SIGKILL');
  }
  await brokers.stop();
  await rm(dir, { recursive: true, force: true });
}
