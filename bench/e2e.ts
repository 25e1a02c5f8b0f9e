// Sluice end to end on the test kit's real brokers: start-up, throughput Kafka → RocketMQ and
// RocketMQ → Kafka through a fresh worker per case (records/s, MB/s, records per worker
// CPU-second, peak RSS) against what plain clients do in the same run — the brokers' raw rates
// (the physical limit of any bridge here) and the CPU a plain reader plus writer spend per record
// (the ceiling of records per CPU-second) — then latency at a fixed rate and memory over time.
//
//   npm run build && node --conditions=sluice:source bench/e2e.ts [--quick] [--only throughput,latency]
//     [--count 200000] [--sizes 100,1024] [--tasks 1,4] [--directions kr,rk] [--latency-rate 1000] [--latency-seconds 30]
//     [--soak-minutes 10] [--soak-rate 10000] [--startup-trials 10] [--cpu-prof]
//     [--set connector.key=value …] [--worker-set workerKey=value …]
//
// The worker runs the compiled CLI (dist/), as users run it. --quick finishes in about two
// minutes. Prints tables; writes bench/results/e2e-<time>.json. Not part of the tests.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Admin as KafkaAdmin } from '@platformatic/kafka';
import { KafkaReader } from '@sluice/connector-kafka';
import { Admin, PullConsumer } from '@sluice/rocketmq';
import { startBrokers } from '@sluice/testkit';
import { startWorkerProcess, type WorkerProcess } from '../packages/runtime/test/cluster/worker-process.ts';
import {
  consumeKafka,
  consumeRocketMQ,
  type Endpoints,
  kafkaCount,
  produceKafka,
  produceRocketMQ,
  rocketmqCount,
} from './e2e/broker-rates.ts';
import { kafkaReader, kafkaWriter, measureLatency, rocketmqReader, rocketmqWriter } from './e2e/latency.ts';
import { rssMiB } from './e2e/proc.ts';
import { soak } from './e2e/soak.ts';
import { measureStartup } from './e2e/startup.ts';
import { throughWorker } from './e2e/through-worker.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    count: { type: 'string' },
    sizes: { type: 'string' },
    tasks: { type: 'string' },
    /** kr (Kafka → RocketMQ), rk (RocketMQ → Kafka) or both (default). */
    directions: { type: 'string', default: 'kr,rk' },
    'latency-rate': { type: 'string', default: '1000' },
    'latency-seconds': { type: 'string' },
    'soak-minutes': { type: 'string' },
    'soak-rate': { type: 'string' },
    'startup-trials': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    /** Extra connector settings for every connector the bench creates: --set key=value. */
    set: { type: 'string', multiple: true },
    /** Extra worker settings: --worker-set key=value. */
    'worker-set': { type: 'string', multiple: true },
  },
});
const quick = values.quick;
const sections = new Set((values.only ?? 'startup,throughput,latency,memory').split(','));
const count = Number(values.count ?? (quick ? 20_000 : 200_000));
const sizes = (values.sizes ?? (quick ? '1024' : '100,1024')).split(',').map(Number);
const taskCounts = (values.tasks ?? (quick ? '1' : '1,4')).split(',').map(Number);
const directions = new Set(values.directions.split(','));
const latencyRate = Number(values['latency-rate']);
const latencySeconds = Number(values['latency-seconds'] ?? (quick ? 5 : 30));
const soakMinutes = Number(values['soak-minutes'] ?? (quick ? 0.5 : 10));
const soakRate = Number(values['soak-rate'] ?? (quick ? 5000 : 10_000));
const startupTrials = Number(values['startup-trials'] ?? (quick ? 3 : 10));

const keyValues = (kvs: string[] = []) =>
  Object.fromEntries(kvs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const extra = keyValues(values.set);
const workerSettings = keyValues(values['worker-set']);
const say = (s: string) => process.stdout.write(`${s}\n`);
const num = (n: number, w = 9) => Math.round(n).toLocaleString('en-US').padStart(w);
const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  node: process.version,
  args: { quick, count, sizes, taskCounts, latencyRate, latencySeconds, soakMinutes, soakRate },
};

const brokers = await startBrokers();
const ep: Endpoints = { namesrvAddr: brokers.rocketmq!.namesrvAddr, bootstrap: [brokers.kafka!.bootstrap] };
const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
const rmqAdmin = new Admin({ namesrvAddr: ep.namesrvAddr });
const kafkaAdmin = new KafkaAdmin({ clientId: 'bench-admin', bootstrapBrokers: ep.bootstrap });
const profileDir = new URL('./results/profiles/', import.meta.url).pathname;
let worker: WorkerProcess | undefined;
let seq = 0;

/** A fresh Kafka topic and RocketMQ topic with `n` partitions / queues each. */
async function topicPair(n = 4): Promise<{ kafka: string; rmq: string }> {
  seq++;
  const t = { kafka: `bench-k${seq}`, rmq: `bench-r${seq}` };
  await kafkaAdmin.createTopics({ topics: [t.kafka], partitions: n, replicas: 1 });
  await rmqAdmin.createTopic(t.rmq, { readQueueNums: n, writeQueueNums: n });
  return t;
}

let workers = 0;
/** A `sluice worker` (the compiled CLI) of the bench's cluster, with the bench's settings. */
function startBenchWorker(): Promise<WorkerProcess> {
  return startWorkerProcess({
    dir,
    namesrvAddr: ep.namesrvAddr,
    workerId: `bench-${++workers}`,
    built: true,
    settings: workerSettings,
    nodeArgs: [
      ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(process.env.SLUICE_BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
}

/** SIGTERM, so that a --cpu-prof profile is written on the way out; SIGKILL after 10 s. */
async function stopBenchWorker(w: WorkerProcess): Promise<void> {
  w.process.kill('SIGTERM');
  await Promise.race([w.exited, new Promise((r) => setTimeout(r, 10_000))]);
  w.process.kill('SIGKILL');
}

try {
  // Both brokers are fresh JVMs: warm them up (JIT, page cache, log segments) before any timing,
  // or whatever runs first pays for it.
  {
    const t = await topicPair();
    await produceKafka(ep, t.kafka, 30_000, 1024);
    await consumeKafka(ep, t.kafka, 30_000);
    await produceRocketMQ(ep, t.rmq, 30_000, 1024);
    await consumeRocketMQ(ep, t.rmq);
  }
  if (sections.has('startup')) {
    const s = await measureStartup(ep.namesrvAddr, startupTrials);
    const sorted = [...s.readyMs].sort((a, b) => a - b);
    say(`start-up to a ready /health, ${startupTrials} fresh workers (compiled CLI):`);
    say(
      `  min ${num(sorted[0]!, 0)} ms, median ${num(sorted[Math.floor(sorted.length / 2)]!, 0)} ms, max ${num(sorted.at(-1)!, 0)} ms (target ≤ 1,000 ms); idle RSS ${s.idleRssMiB.toFixed(0)} MiB`,
    );
    results.startup = s;
  }

  const counter = new PullConsumer({ namesrvAddr: ep.namesrvAddr, group: 'bench-counter' });
  const kcounter = new KafkaReader({ bootstrap: ep.bootstrap, clientId: 'bench-counter' }, 'bench-counter');

  if (sections.has('throughput')) {
    say(`\nthroughput, ${num(count, 0)} records per case, 4 partitions / queues; records/s`);
    say('  raw: min(source broker read, destination broker write) with plain clients');
    say('  ceiling: records per CPU-second of a plain reader and writer of the same records,');
    say('  1 / (read µs + write µs): what a bridge with no runtime at all would cost in one process');
    say('                                    records/s                           records/CPU-s');
    say(
      'direction          size tasks       raw   runtime  ÷raw   MB/s    ceiling   runtime  ÷ceil  peak RSS MiB',
    );
    const rows: unknown[] = [];
    for (const size of sizes) {
      const k = await topicPair();
      const kProduce = await produceKafka(ep, k.kafka, count, size);
      const kConsume = await consumeKafka(ep, k.kafka, count);
      const r = await topicPair();
      const rProduce = await produceRocketMQ(ep, r.rmq, count, size);
      const rConsume = await consumeRocketMQ(ep, r.rmq);
      const us = (c: { cpuUs: number }) => c.cpuUs.toFixed(1);
      say(
        `  (brokers, ${size} B: Kafka write ${num(kProduce.perSecond, 0)}/s (${us(kProduce)} µs), read ${num(kConsume.perSecond, 0)}/s (${us(kConsume)} µs); RocketMQ write ${num(rProduce.perSecond, 0)}/s (${us(rProduce)} µs), read ${num(rConsume.perSecond, 0)}/s (${us(rConsume)} µs); µs: client CPU per record)`,
      );
      for (const tasks of taskCounts) {
        for (const dirn of ['Kafka→RocketMQ', 'RocketMQ→Kafka'] as const) {
          const toKafka = dirn === 'RocketMQ→Kafka';
          if (!directions.has(toKafka ? 'rk' : 'kr')) continue;
          const [read, write] = toKafka ? [rConsume, kProduce] : [kConsume, rProduce];
          const raw = Math.min(read.perSecond, write.perSecond);
          const ceiling = 1e6 / (read.cpuUs + write.cpuUs);
          const out = await topicPair();
          // A fresh worker per case: its peak RSS is this case's, not the high-water mark of
          // the cases before (V8 and malloc keep what they once got).
          const cw = await startBenchWorker();
          await new Promise((r) => setTimeout(r, 1000));
          const run = await throughWorker(
            { url: cw.url, pid: cw.process.pid! },
            `bench-${seq}`,
            toKafka
              ? {
                  'connector.class': 'KafkaSinkConnector',
                  'rocketmq.topic': r.rmq,
                  'kafka.topic': out.kafka,
                  'tasks.num': String(tasks),
                  'kafka.bootstrap.server': ep.bootstrap.join(','),
                  ...extra,
                }
              : {
                  'connector.class': 'KafkaSourceConnector',
                  'kafka.topic': k.kafka,
                  'rocketmq.topic': out.rmq,
                  'tasks.num': String(tasks),
                  'kafka.bootstrap.server': ep.bootstrap.join(','),
                  ...extra,
                },
            count,
            () => (toKafka ? kafkaCount(kcounter, out.kafka) : rocketmqCount(counter, out.rmq)),
          ).finally(() => stopBenchWorker(cw));
          const mbs = (run.rate * size) / 1e6;
          say(
            `${dirn.padEnd(16)} ${String(size).padStart(6)} ${String(tasks).padStart(5)} ${num(raw)} ${num(run.rate)}  ${(run.rate / raw).toFixed(2).padStart(5)} ${mbs.toFixed(1).padStart(6)} ${num(ceiling, 10)} ${num(run.perCpuSecond)}  ${(run.perCpuSecond / ceiling).toFixed(2).padStart(5)} ${num(run.peakRssMiB, 13)}`,
          );
          rows.push({
            direction: dirn,
            size,
            tasks,
            raw,
            read,
            write,
            ceiling,
            runtime: run,
            mbPerSecond: mbs,
          });
        }
      }
    }
    results.throughput = rows;
  }

  worker = await startBenchWorker();
  const w = worker;
  await new Promise((r) => setTimeout(r, 1000));
  results.idleRssMiB = await rssMiB(w.process.pid!);

  if (sections.has('latency')) {
    const size = 1024;
    say(`\nlatency at ${latencyRate} records/s, ${size} B, ${latencySeconds} s after 2 s warm-up; ms`);
    say('path                              p50      p99      max  samples  missing');
    const rows: Record<string, unknown> = {};
    const line = (name: string, l: Awaited<ReturnType<typeof measureLatency>>) => {
      say(
        `${name.padEnd(30)} ${l.p50.toFixed(1).padStart(7)}  ${l.p99.toFixed(1).padStart(7)}  ${l.max.toFixed(1).padStart(7)}  ${String(l.samples).padStart(7)}  ${String(l.missing).padStart(7)}`,
      );
      rows[name] = l;
    };
    const opts = { rate: latencyRate, seconds: latencySeconds, size };
    for (const [name, path] of [
      ['Kafka → Kafka (direct)', 'kk'],
      ['RocketMQ → RocketMQ (direct)', 'rr'],
      ['Kafka → worker → RocketMQ', 'kr'],
      ['RocketMQ → worker → Kafka', 'rk'],
    ] as const) {
      const t = await topicPair();
      const connector = `latency-${seq}`;
      if (path === 'kr' || path === 'rk') {
        const out = await topicPair();
        const config =
          path === 'kr'
            ? { 'connector.class': 'KafkaSourceConnector', 'kafka.topic': t.kafka, 'rocketmq.topic': out.rmq }
            : { 'connector.class': 'KafkaSinkConnector', 'rocketmq.topic': t.rmq, 'kafka.topic': out.kafka };
        const created = await fetch(`${w.url}/connectors`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: connector,
            config: {
              ...config,
              'kafka.bootstrap.server': ep.bootstrap.join(','),
              ...(path === 'kr' ? { 'kafka.offset.reset': 'latest' } : {}),
            },
          }),
        });
        if (created.status !== 201) throw new Error(`create ${connector}: ${await created.text()}`);
        await new Promise((r) => setTimeout(r, 2000));
        const writer = path === 'kr' ? kafkaWriter(ep, t.kafka) : rocketmqWriter(ep, t.rmq);
        const reader = path === 'kr' ? rocketmqReader(ep, out.rmq) : kafkaReader(ep, out.kafka);
        line(name, await measureLatency(writer.write, reader, opts));
        await writer.close();
        await fetch(`${w.url}/connectors/${connector}`, { method: 'DELETE' });
      } else {
        const writer = path === 'kk' ? kafkaWriter(ep, t.kafka) : rocketmqWriter(ep, t.rmq);
        const reader = path === 'kk' ? kafkaReader(ep, t.kafka) : rocketmqReader(ep, t.rmq);
        line(name, await measureLatency(writer.write, reader, opts));
        await writer.close();
      }
    }
    results.latency = rows;
  }

  if (sections.has('memory')) {
    const idle = results.idleRssMiB as number;
    const a = await topicPair();
    const b = await topicPair();
    say(
      `\nmemory: Kafka → RocketMQ → Kafka through the worker at ${soakRate} records/s of 1 KiB for ${soakMinutes} min`,
    );
    const s = await soak(
      ep,
      w,
      { kafkaIn: a.kafka, rocketmq: a.rmq, kafkaOut: b.kafka },
      {
        minutes: soakMinutes,
        rate: soakRate,
        size: 1024,
        tasks: 1,
        countOut: () => kafkaCount(kcounter, b.kafka),
      },
    );
    const [low, high] = s.settledRangeMiB;
    say(
      `  RSS idle ${idle.toFixed(0)} MiB; warm (${s.warmFromS}–${s.warmFromS + s.windowS} s) ${s.warmRssMiB.toFixed(0)} MiB; last ${s.windowS} s ${s.lastRssMiB.toFixed(0)} MiB; every ${s.windowS} s from the warm one on ${low.toFixed(0)}–${high.toFixed(0)} MiB; peak ${s.peakRssMiB.toFixed(0)} MiB; growth ${s.growthMiB.toFixed(1)} MiB (target: ≤ 150 MiB, flat)`,
    );
    say(
      `  delivered ${num(s.delivered, 0)} records/s end to end; ${num(s.perCpuSecond, 0)} records (both hops) per worker CPU-second`,
    );
    results.memory = { idleRssMiB: idle, ...s };
  }

  await counter.close();
  await kcounter.close();
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(
    `./results/e2e-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  await writeFile(file, JSON.stringify(results, null, 2));
  say(`\nwritten ${file.pathname}`);
} finally {
  if (worker && process.env.SLUICE_BENCH_WORKER_LOG)
    await writeFile(process.env.SLUICE_BENCH_WORKER_LOG, worker.log.join(''));
  if (worker) await stopBenchWorker(worker);
  rmqAdmin.close();
  await kafkaAdmin.close();
  await brokers.stop();
  await rm(dir, { recursive: true, force: true });
}
