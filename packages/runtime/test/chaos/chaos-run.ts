import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@sluice/rocketmq';
import { type Brokers, startBrokers } from '@sluice/testkit';
import { sleep } from '../../src/backoff.ts';
import { callWorker, startWorkerProcess, type WorkerProcess } from '../cluster/worker-process.ts';
import { createKafkaTopics } from '../e2e/kafka-rocketmq.ts';
import { type ChaosWorld, deal, type FaultName, seededRandom } from './faults.ts';
import { type Feeder, kafkaFeeder, rocketmqFeeder } from './feeders.ts';
import {
  epochRegressions,
  type ReadRecord,
  type Regression,
  type ScenarioCount,
  scenarioIndexer,
  tally,
} from './ledger.ts';
import { readKafkaTopic, readRocketMQTopic } from './readers.ts';

// The chaos run: 3 workers, 2 RocketMQ masters, Kafka; records both ways while faults are dealt
// one scenario after another; then every record is looked for on the far side.

export type ScenarioName = 'steady' | FaultName;
export const ALL_SCENARIOS: readonly ScenarioName[] = [
  'steady',
  'sigterm',
  'sigkill',
  'sigstop',
  'twin',
  'kafka-restart',
  'rocketmq-restart',
];

export interface ChaosOptions {
  /** Time given to each scenario; faults repeat until it is used up (at least one each). */
  scenarioMs: number;
  /** Records per second each way. */
  rate: number;
  kafkaBrokers?: number;
  seed?: number;
  scenarios?: readonly ScenarioName[];
  /** How long to wait for the far sides to hold every record after the faults (default 180 s). */
  drainMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  faults: number;
  kafkaToRocketmq: ScenarioCount;
  rocketmqToKafka: ScenarioCount;
}

export interface ChaosResult {
  options: Omit<ChaosOptions, 'log'>;
  scenarios: ScenarioResult[];
  /** Woken twins that found themselves superseded and exited, of all twins dealt. */
  twins: { dealt: number; supersededExits: number };
  drainedInMs: number | undefined;
  /** The first regressions per direction, with the newer record each came after. */
  regressions: Record<'kafkaToRocketmq' | 'rocketmqToKafka', ReturnType<typeof describe>[]>;
  /** Each connector's status at the end, as a worker reports it. */
  finalStatus: Record<string, unknown>;
  events: string[];
  elapsedMs: number;
}

const T = { k2rIn: 'chaos-in', k2rOut: 'chaos-k2r', r2kIn: 'chaos-r2k', r2kOut: 'chaos-out' };
const CONNECTORS = {
  k2r: { 'connector.class': 'KafkaSourceConnector', 'kafka.topic': T.k2rIn, 'rocketmq.topic': T.k2rOut },
  r2k: { 'connector.class': 'KafkaSinkConnector', 'rocketmq.topic': T.r2kIn, 'kafka.topic': T.r2kOut },
};
const LEAD_IN_MS = 3000;
/** After each fault, before the next: the cluster settles. */
const SETTLE_MS = 3000;
/** Quick failover and a broker that forgets a silent consumer in 40 s rather than 120 s. */
const WORKER_SETTINGS = {
  memberTimeoutMs: '6000',
  heartbeatIntervalMs: '1000',
  offsetCommitIntervalMs: '1000',
};
const CHANNEL_EXPIRED_MS = 40_000;

interface Run {
  world: ChaosWorld;
  namesrvAddr: string;
  bootstrap: string;
  any: () => WorkerProcess;
  t0: number;
}

/** Topics, three workers and the two connectors, all running. */
async function setUp(
  brokers: Brokers,
  dir: string,
  opts: ChaosOptions,
  note: (e: string) => void,
  t0: number,
) {
  const namesrvAddr = brokers.rocketmq!.namesrvAddr;
  const bootstrap = brokers.kafka!.bootstrap;
  note(`brokers up: RocketMQ ${namesrvAddr} (2 masters), Kafka ${bootstrap}`);
  const admin = new Admin({ namesrvAddr });
  for (const t of [T.k2rOut, T.r2kIn]) await admin.createTopic(t, { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
  await createKafkaTopics(bootstrap, [T.k2rIn, T.r2kOut], 4);
  const workers = new Map<string, WorkerProcess>();
  const world: ChaosWorld = {
    brokers,
    dir,
    workers,
    memberTimeoutMs: Number(WORKER_SETTINGS.memberTimeoutMs),
    startWorker: (id, settings) =>
      startWorkerProcess({ dir, namesrvAddr, workerId: id, settings: { ...WORKER_SETTINGS, ...settings } }),
    note,
    random: seededRandom(opts.seed ?? 1),
  };
  for (const id of ['w1', 'w2', 'w3']) workers.set(id, await world.startWorker(id));
  const any = () => [...workers.values()][0]!;
  for (const [name, config] of Object.entries(CONNECTORS)) {
    const r = await callWorker(any(), 'POST', '/connectors', {
      name,
      config: { ...config, 'tasks.num': '2', 'kafka.bootstrap.server': bootstrap },
    });
    if (r.status !== 201) throw new Error(`creating ${name}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  await waitRunning(any, Object.keys(CONNECTORS));
  note('connectors running on 3 workers');
  return { world, namesrvAddr, bootstrap, any, t0 } satisfies Run;
}

/** Each scenario in turn: where the feeds stood when it began, and the faults it dealt. */
async function runScenarios(run: Run, feeds: { k2r: Feeder; r2k: Feeder }, opts: ChaosOptions) {
  const scenarios = opts.scenarios ?? ALL_SCENARIOS;
  const starts = { k2r: [] as number[], r2k: [] as number[] };
  const faults: number[] = [];
  const dealtOfKind = new Map<ScenarioName, number>();
  const twins = { dealt: 0, supersededExits: 0 };
  for (const scenario of scenarios) {
    starts.k2r.push(feeds.k2r.position);
    starts.r2k.push(feeds.r2k.position);
    run.world.note(`scenario ${scenario}`);
    const end = Date.now() + opts.scenarioMs;
    let n = 0;
    // A lead-in, so the fault hits a steady flow of this scenario's own records.
    await sleep(LEAD_IN_MS);
    do {
      if (scenario !== 'steady') {
        const k = dealtOfKind.get(scenario) ?? 0;
        dealtOfKind.set(scenario, k + 1);
        const r = await deal(run.world, scenario, k);
        if (r.supersededExit !== undefined) {
          twins.dealt++;
          if (r.supersededExit) twins.supersededExits++;
        }
        n++;
      }
      await sleep(SETTLE_MS);
    } while (Date.now() < end);
    faults.push(n);
  }
  return { scenarios, starts, faults, twins };
}

/** Reads the far sides until they hold every acknowledged record, or the time is up. */
async function drain(run: Run, feeds: { k2r: Feeder; r2k: Feeder }, drainMs: number) {
  const t = Date.now();
  const holdsAll = (far: ReadRecord[], f: Feeder) => {
    const got = new Set(far.map((r) => r.seq));
    return [...f.acked].every((s) => got.has(s));
  };
  for (;;) {
    const [k2r, r2k] = await Promise.all([
      readRocketMQTopic(run.namesrvAddr, T.k2rOut),
      readKafkaTopic(run.bootstrap, T.r2kOut),
    ]);
    const done = holdsAll(k2r, feeds.k2r) && holdsAll(r2k, feeds.r2k);
    if (done || Date.now() - t > drainMs) return { k2r, r2k, drainedInMs: done ? Date.now() - t : undefined };
    await sleep(5000);
  }
}

/** A regression as JSON can hold it, with times relative to the run's start. */
function describe(run: Run, g: Regression) {
  const one = (r: ReadRecord) => ({
    place: r.place,
    offset: String(r.offset),
    seq: r.seq,
    epoch: String(r.epoch),
    worker: r.worker,
    atS: r.at === undefined ? undefined : (r.at - run.t0) / 1000,
  });
  return { record: one(g.record), after: one(g.after) };
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const t0 = Date.now();
  const events: string[] = [];
  const note = (e: string) => {
    const line = `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${e}`;
    events.push(line);
    opts.log?.(line);
  };
  const brokers = await startBrokers({
    rocketmq: { brokers: 2, brokerConfig: { channelExpiredTimeout: CHANNEL_EXPIRED_MS } },
    kafka: { brokers: opts.kafkaBrokers ?? 1 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'sluice-chaos-'));
  let run: Run | undefined;
  const feeders: Feeder[] = [];
  try {
    run = await setUp(brokers, dir, opts, note, t0);
    const feeds = { k2r: kafkaFeeder(run.bootstrap, T.k2rIn), r2k: rocketmqFeeder(run.namesrvAddr, T.r2kIn) };
    feeders.push(feeds.k2r, feeds.r2k);
    feeds.k2r.start(opts.rate);
    feeds.r2k.start(opts.rate);
    const { scenarios, starts, faults, twins } = await runScenarios(run, feeds, opts);
    await Promise.all(feeders.map((f) => f.stop()));
    note(
      `fed ${feeds.k2r.acked.size} records Kafka → RocketMQ, ${feeds.r2k.acked.size} RocketMQ → Kafka; draining`,
    );
    const far = await drain(run, feeds, opts.drainMs ?? 180_000);
    note(far.drainedInMs === undefined ? 'not drained in time' : `drained in ${far.drainedInMs} ms`);
    const [inK2r, inR2k] = await Promise.all([
      readKafkaTopic(run.bootstrap, T.k2rIn),
      readRocketMQTopic(run.namesrvAddr, T.r2kIn),
    ]);
    const k2rRows = tally(
      { scenarios, scenarioOf: scenarioIndexer(starts.k2r), acked: feeds.k2r.acked },
      inK2r,
      far.k2r,
    );
    const r2kRows = tally(
      { scenarios, scenarioOf: scenarioIndexer(starts.r2k), acked: feeds.r2k.acked },
      inR2k,
      far.r2k,
    );
    const finalStatus: Record<string, unknown> = {};
    for (const name of Object.keys(CONNECTORS))
      finalStatus[name] = (await callWorker(run.any(), 'GET', `/connectors/${name}/status`)).json;
    const { log: _log, ...options } = opts;
    const sample = (far: ReadRecord[]) =>
      epochRegressions(far)
        .slice(0, 20)
        .map((g) => describe(run!, g));
    return {
      options,
      scenarios: scenarios.map((scenario, i) => ({
        scenario,
        faults: faults[i] ?? 0,
        kafkaToRocketmq: k2rRows[i]!,
        rocketmqToKafka: r2kRows[i]!,
      })),
      twins,
      drainedInMs: far.drainedInMs,
      regressions: { kafkaToRocketmq: sample(far.k2r), rocketmqToKafka: sample(far.r2k) },
      finalStatus,
      events,
      elapsedMs: Date.now() - t0,
    };
  } finally {
    await Promise.allSettled(feeders.map((f) => f.stop()));
    for (const w of run?.world.workers.values() ?? []) {
      w.process.kill('SIGCONT');
      w.process.kill('SIGKILL');
      await w.exited;
    }
    await brokers.stop({ graceMs: 2000 });
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitRunning(any: () => WorkerProcess, names: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    let ok = true;
    for (const name of names) {
      const s = (await callWorker(any(), 'GET', `/connectors/${name}/status`)).json as {
        tasks?: { state: string }[];
      };
      if (!s.tasks?.length || s.tasks.some((t) => t.state !== 'RUNNING')) ok = false;
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error('connectors did not start within 60 s');
    await sleep(500);
  }
}
