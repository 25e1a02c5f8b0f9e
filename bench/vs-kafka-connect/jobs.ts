import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Admin as KafkaAdmin } from '@platformatic/kafka';
import { KafkaReader } from '@sluice/connector-kafka';
import { Admin, PullConsumer } from '@sluice/rocketmq';
import type { Brokers } from '@sluice/testkit';
import { callWorker, until } from '../../packages/runtime/test/cluster/worker-process.ts';
import { kafkaCount, rocketmqCount } from '../e2e/broker-rates.ts';
import { rssMiB } from '../e2e/proc.ts';
import { throughWorker, type WorkerRun } from '../e2e/through-worker.ts';
import type { BenchWorker, Runtime } from './runtimes.ts';

// The jobs of the side-by-side bench, each run the same way on either runtime.

export interface Env {
  brokers: Brokers;
  dir: string;
  records: number;
}

export interface Figures {
  startupMs: number[];
  idleRssMiB: number[];
  jobs: { job: 'file → broker' | 'broker → file'; run: WorkerRun }[];
}

/** One line of the files: 1 KiB of text, its number first, and the newline. */
const LINE = 1024;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Starts a worker of `rt`: spawn to a ready REST API, then its RSS 2 s later; stops it. */
export async function startup(rt: Runtime): Promise<{ readyMs: number; idleRssMiB: number }> {
  const t0 = performance.now();
  const w = await rt.start();
  try {
    // Sluice resolves once it joined its cluster, Kafka Connect once GET /connectors answers:
    // both must serve their API by then.
    const res = await fetch(`${w.url}/connectors`);
    if (res.status !== 200) throw new Error(`${rt.name}: GET /connectors answered ${res.status} when ready`);
    const readyMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2000));
    return { readyMs, idleRssMiB: await rssMiB(w.pid) };
  } finally {
    await w.stop();
  }
}

/** The file of `records` lines the source jobs tail (written once per directory). */
async function inputFile(dir: string, records: number): Promise<string> {
  const file = join(dir, `in-${records}.txt`);
  if (await stat(file).catch(() => undefined)) return file;
  const filler = 'x'.repeat(LINE);
  const chunks: string[] = [];
  for (let i = 0; i < records; i++) chunks.push(`${i};${filler}`.slice(0, LINE));
  await writeFile(file, `${chunks.join('\n')}\n`);
  return file;
}

/**
 * The two file jobs, each on a fresh worker (so that a job's peak RSS is its own): FileStreamSource
 * of the input file into a new topic of the runtime's broker, then FileStreamSink of that topic
 * into a new file.
 */
export async function fileJobs(rt: Runtime, env: Env, tag: string): Promise<Figures['jobs']> {
  const input = await inputFile(env.dir, env.records);
  const topic = `vs-${rt.name === 'Sluice' ? 'sluice' : 'kc'}-${tag}`;
  const out = join(env.dir, `${topic}.out`);
  const count = await topicCounter(rt, env.brokers, topic);
  const lines = async () => Math.floor(((await stat(out).catch(() => undefined))?.size ?? 0) / (LINE + 1));
  try {
    const source = await onFreshWorker(rt, (w) =>
      throughWorker(w, `${topic}-src`, rt.source(input, topic), env.records, count.read),
    );
    const sink = await onFreshWorker(rt, (w) =>
      throughWorker(w, `${topic}-snk`, rt.sink(topic, out), env.records, lines),
    );
    return [
      { job: 'file → broker', run: source },
      { job: 'broker → file', run: sink },
    ];
  } finally {
    await count.close();
  }
}

async function onFreshWorker<T>(rt: Runtime, job: (w: BenchWorker) => Promise<T>): Promise<T> {
  const w = await rt.start();
  try {
    await new Promise((r) => setTimeout(r, 2000));
    return await job(w);
  } finally {
    await w.stop();
  }
}

/** Creates `topic` (one partition / queue) on the runtime's broker; counts what it holds. */
async function topicCounter(rt: Runtime, brokers: Brokers, topic: string) {
  if (rt.name === 'Sluice') {
    const namesrvAddr = brokers.rocketmq!.namesrvAddr;
    const admin = new Admin({ namesrvAddr });
    await admin.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    admin.close();
    const consumer = new PullConsumer({ namesrvAddr, group: `bench-count-${topic}` });
    return { read: () => rocketmqCount(consumer, topic), close: () => consumer.close() };
  }
  const bootstrapBrokers = [brokers.kafka!.bootstrap];
  const admin = new KafkaAdmin({ clientId: 'bench-admin', bootstrapBrokers });
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  await admin.close();
  const reader = new KafkaReader({ bootstrap: bootstrapBrokers, clientId: 'bench-count' }, 'bench-count');
  return { read: () => kafkaCount(reader, topic), close: () => reader.close() };
}

type Status = Record<string, { status?: { tasks?: { state: string; worker_id: string }[] } }>;

/** Tasks of every connector as one worker reports them. */
async function tasks(w: BenchWorker) {
  const r = await callWorker(w, 'GET', '/connectors?expand=status');
  return Object.values((r.json ?? {}) as Status).flatMap((c) => c.status?.tasks ?? []);
}

/**
 * Two workers, `k` FileStreamSource connectors of one task on empty files, spread over both;
 * the worker holding tasks (the second, or else the first) is SIGKILLed; the time until every
 * task is RUNNING on the other, as the other reports it.
 */
export async function failover(rt: Runtime, env: Env, k: number): Promise<{ ms: number; tasks: number }> {
  const a = await rt.start();
  const b = await rt.start();
  try {
    const topic = `vs-failover-${rt.name === 'Sluice' ? 'sluice' : 'kc'}`;
    (await topicCounter(rt, env.brokers, topic)).close();
    for (let i = 0; i < k; i++) {
      const file = join(env.dir, `${topic}-${i}.txt`);
      await writeFile(file, '');
      const r = await callWorker(a, 'POST', '/connectors', {
        name: `${topic}-${i}`,
        config: rt.source(file, topic),
      });
      if (r.status !== 201)
        throw new Error(`${rt.name}: create ${topic}-${i}: ${r.status} ${JSON.stringify(r.json)}`);
    }
    let held = 0;
    await until(
      `${rt.name}: ${k} tasks RUNNING on both workers`,
      async () => {
        const ts = await tasks(a);
        held = ts.filter((t) => t.worker_id === b.id).length;
        return ts.length === k && ts.every((t) => t.state === 'RUNNING') && held > 0 && held < k;
      },
      120_000,
    );
    const t0 = performance.now();
    await b.kill();
    await until(
      `${rt.name}: every task RUNNING on ${a.id}`,
      async () => {
        const ts = await tasks(a);
        return ts.length === k && ts.every((t) => t.state === 'RUNNING' && t.worker_id === a.id);
      },
      900_000,
    );
    return { ms: performance.now() - t0, tasks: held };
  } finally {
    await b.kill();
    await a.stop();
  }
}
