import { callWorker, type WorkerProcess } from '../../packages/runtime/test/cluster/worker-process.ts';
import type { Endpoints } from './broker-rates.ts';
import { kafkaWriter } from './latency.ts';
import { pace } from './pacer.ts';
import { cpuSeconds, RssSampler } from './proc.ts';
import { body } from './records.ts';

export interface Soak {
  minutes: number;
  rate: number;
  /** Records per second the worker delivered at the far end over the whole run. */
  delivered: number;
  /** Where the warm window starts (a tenth of the run, at least one window in) and its length. */
  warmFromS: number;
  windowS: number;
  /** Mean RSS over the warm window, its last window, and the peak. */
  warmRssMiB: number;
  /** The lowest and highest window mean from the warm window on: how flat it stayed. */
  settledRangeMiB: [number, number];
  lastRssMiB: number;
  peakRssMiB: number;
  /** The last window's mean minus the warm window's: what a leak would show as. */
  growthMiB: number;
  perCpuSecond: number;
  samples: { atMs: number; rssMiB: number }[];
}

/**
 * Kafka → RocketMQ → Kafka through one worker (a source and a sink connector) while a feeder
 * writes `rate` records/s of `size` bytes to the first Kafka topic, for `minutes`. RSS every 2 s.
 */
export async function soak(
  ep: Endpoints,
  worker: WorkerProcess,
  topics: { kafkaIn: string; rocketmq: string; kafkaOut: string },
  opts: { minutes: number; rate: number; size: number; tasks: number; countOut: () => Promise<number> },
): Promise<Soak> {
  const pid = worker.process.pid!;
  const common = { 'tasks.num': String(opts.tasks), 'kafka.bootstrap.server': ep.bootstrap.join(',') };
  for (const [name, config] of [
    [
      'soak-source',
      {
        'connector.class': 'KafkaSourceConnector',
        'kafka.topic': topics.kafkaIn,
        'rocketmq.topic': topics.rocketmq,
      },
    ],
    [
      'soak-sink',
      {
        'connector.class': 'KafkaSinkConnector',
        'rocketmq.topic': topics.rocketmq,
        'kafka.topic': topics.kafkaOut,
      },
    ],
  ] as const) {
    const r = await callWorker(worker, 'POST', '/connectors', { name, config: { ...config, ...common } });
    if (r.status !== 201) throw new Error(`create ${name}: ${JSON.stringify(r.json)}`);
  }
  const ms = opts.minutes * 60_000;
  const rss = new RssSampler(pid, 2000);
  const cpu0 = await cpuSeconds(pid);
  const out0 = await opts.countOut();
  const t0 = performance.now();
  const feeder = kafkaWriter(ep, topics.kafkaIn);
  let n = 0;
  await pace(opts.rate, ms, () => body(opts.size, n++), feeder.write, { maxInFlight: 8 });
  const secs = (performance.now() - t0) / 1000;
  const delivered = ((await opts.countOut()) - out0) / secs;
  const cpu = (await cpuSeconds(pid)) - cpu0;
  rss.stop();
  await feeder.close();
  for (const name of ['soak-source', 'soak-sink']) await callWorker(worker, 'DELETE', `/connectors/${name}`);
  const minute = Math.min(60_000, ms / 4);
  // Buffers and the old generation take a few minutes to reach their working size: a long soak
  // is judged from a tenth of its length on (at least its second minute), not from minute 2.
  const warmFromMs = Math.max(minute, ms / 10);
  const warm = rss.mean(warmFromMs, warmFromMs + minute);
  const last = rss.mean(ms - minute, ms + 1);
  const windows: number[] = [];
  for (let at = warmFromMs; at + minute <= ms + 1; at += minute) windows.push(rss.mean(at, at + minute));
  return {
    minutes: opts.minutes,
    rate: opts.rate,
    delivered,
    warmFromS: warmFromMs / 1000,
    windowS: minute / 1000,
    warmRssMiB: warm,
    settledRangeMiB: [Math.min(...windows), Math.max(...windows)],
    lastRssMiB: last,
    peakRssMiB: rss.peak,
    growthMiB: last - warm,
    perCpuSecond: (delivered * secs * 2) / cpu,
    samples: rss.samples,
  };
}
