// Sluice side by side with Kafka Connect (connect-runtime of the test kit's Kafka release, from
// Maven Central, with the JVM flags of its own scripts): the same framework-level jobs on each,
// on the same machine, measured the same way, alternated.
//
// - start-up: spawn to a ready REST API (Kafka Connect: GET /connectors answers 200 once the
//   worker joined its group; Sluice: /health answers 200 once it joined its cluster), and the
//   idle RSS 2 s later;
// - file → broker: FileStreamSource tailing N lines of 1 KiB (Kafka Connect writes Kafka,
//   Sluice RocketMQ, one partition / queue each): records/s, worker CPU-seconds per million
//   records and peak RSS, from the first record on the broker to the last;
// - broker → file: FileStreamSink writing that topic back to a file, the same figures;
// - failover: two workers, K one-task connectors; one worker SIGKILLed; the time until every
//   task runs on the other. Both with their default settings (Kafka Connect waits
//   `scheduled.rebalance.max.delay.ms`, 5 min, for a lost worker to come back).
//
//   npm run build && node --conditions=sluice:source bench/vs-kafka-connect.ts [--records 200000]
//     [--rounds 2] [--startup-trials 3] [--failover-connectors 6] [--kc-rebalance-delay-ms MS]
//
// Prints a table with the ratios; writes bench/results/vs-kafka-connect-<time>.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrokers } from '@sluice/testkit';
import { rssMiB } from './e2e/proc.ts';
import { type Figures, failover, fileJobs, median, startup } from './vs-kafka-connect/jobs.ts';
import { kafkaConnect, type Runtime, sluice } from './vs-kafka-connect/runtimes.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '2' },
    'startup-trials': { type: 'string', default: '3' },
    'failover-connectors': { type: 'string', default: '6' },
    'kc-rebalance-delay-ms': { type: 'string' },
  },
});
const records = Number(values.records);
const rounds = Number(values.rounds);
const trials = Number(values['startup-trials']);
const connectors = Number(values['failover-connectors']);
const kcDelay =
  values['kc-rebalance-delay-ms'] === undefined ? undefined : Number(values['kc-rebalance-delay-ms']);
const say = (s: string) => process.stdout.write(`${s}\n`);

const brokers = await startBrokers();
const dir = await mkdtemp(join(tmpdir(), 'sluice-vs-kc-'));
const runtimes: Runtime[] = [sluice(brokers, dir), kafkaConnect(brokers, kcDelay)];
const byRuntime = new Map<string, Figures>(
  runtimes.map((r) => [r.name, { startupMs: [], idleRssMiB: [], jobs: [] }]),
);
const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  node: process.version,
  args: { records, rounds, trials, connectors, kcDelay },
};
try {
  const env = { brokers, dir, records };
  say(`start-up, ${trials} trials each, alternated`);
  for (let i = 0; i < trials + 1; i++)
    for (const rt of i % 2 ? [...runtimes].reverse() : runtimes) {
      // The first start of each makes its cluster (state topics, group): not timed.
      const s = await startup(rt);
      if (i === 0) continue;
      byRuntime.get(rt.name)!.startupMs.push(s.readyMs);
      byRuntime.get(rt.name)!.idleRssMiB.push(s.idleRssMiB);
      say(`  ${rt.name}: ready in ${s.readyMs.toFixed(0)} ms, idle RSS ${s.idleRssMiB.toFixed(0)} MiB`);
    }
  say(
    `\nfile → broker → file, ${records.toLocaleString('en-US')} lines of 1 KiB, ${rounds} rounds, alternated`,
  );
  for (let round = 0; round < rounds; round++)
    for (const rt of round % 2 ? [...runtimes].reverse() : runtimes) {
      const jobs = await fileJobs(rt, env, `r${round}`);
      byRuntime.get(rt.name)!.jobs.push(...jobs);
      for (const j of jobs)
        say(
          `  ${rt.name} ${j.job}: ${Math.round(j.run.rate).toLocaleString('en-US')} records/s, ${(1e6 / j.run.perCpuSecond).toFixed(1)} CPU-s per million, peak RSS ${j.run.peakRssMiB.toFixed(0)} MiB`,
        );
    }
  say(`\nfailover: 2 workers, ${connectors} one-task connectors, one worker SIGKILLed`);
  const moved = new Map<string, number>();
  for (const rt of runtimes) {
    const f = await failover(rt, env, connectors);
    moved.set(rt.name, f.ms);
    say(
      `  ${rt.name}: ${f.tasks} tasks of the killed worker RUNNING on the other after ${(f.ms / 1000).toFixed(1)} s`,
    );
  }

  // The table: medians over trials and rounds; the ratio is Sluice ÷ Kafka Connect.
  const s = byRuntime.get('Sluice')!;
  const k = byRuntime.get('Kafka Connect')!;
  const rows: [string, number, number, string][] = [
    ['start-up to a ready REST API (ms)', median(s.startupMs), median(k.startupMs), 'lower is better'],
    ['idle RSS (MiB)', median(s.idleRssMiB), median(k.idleRssMiB), 'lower is better'],
  ];
  for (const job of ['file → broker', 'broker → file'] as const) {
    const pick = (f: Figures, fn: (r: Figures['jobs'][number]['run']) => number) =>
      median(f.jobs.filter((j) => j.job === job).map((j) => fn(j.run)));
    rows.push(
      [`${job}: records/s`, pick(s, (r) => r.rate), pick(k, (r) => r.rate), 'higher is better'],
      [
        `${job}: worker CPU-s per million records`,
        pick(s, (r) => 1e6 / r.perCpuSecond),
        pick(k, (r) => 1e6 / r.perCpuSecond),
        'lower is better',
      ],
      [
        `${job}: peak RSS (MiB)`,
        pick(s, (r) => r.peakRssMiB),
        pick(k, (r) => r.peakRssMiB),
        'lower is better',
      ],
    );
  }
  rows.push([
    "a killed worker's tasks running elsewhere (s)",
    moved.get('Sluice')! / 1000,
    moved.get('Kafka Connect')! / 1000,
    'lower is better',
  ]);
  say('\n| | Sluice | Kafka Connect | Sluice ÷ Kafka Connect | |');
  say('|---|---|---|---|---|');
  for (const [what, a, b, note] of rows)
    say(`| ${what} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(2)} | ${note} |`);
  Object.assign(results, {
    figures: Object.fromEntries(byRuntime),
    failoverMs: Object.fromEntries(moved),
    rows,
  });
  results.brokersRssMiB = await Promise.all(brokers.pids.map((p) => rssMiB(p).catch(() => 0)));
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(
    `./results/vs-kafka-connect-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  await writeFile(file, JSON.stringify(results, null, 2));
  say(`\nwritten ${file.pathname}`);
} finally {
  for (const rt of runtimes) await rt.close();
  await brokers.stop();
  await rm(dir, { recursive: true, force: true });
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}
