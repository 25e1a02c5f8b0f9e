import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestkitError } from './errors.ts';
import { ProcessGuard } from './guard.ts';
import { KafkaCluster, type KafkaOptions } from './kafka.ts';
import { type KafkaConnectOptions, KafkaConnectWorker } from './kafka-connect.ts';
import { RocketMQCluster, type RocketMQOptions } from './rocketmq.ts';
import { requireJava } from './toolchain.ts';

export interface BrokersOptions {
  /** RocketMQ to start (default: one name server and one broker); `false` for none. */
  rocketmq?: RocketMQOptions | false;
  /** Kafka to start (default: one KRaft broker); `false` for none. */
  kafka?: KafkaOptions | false;
  /** A Kafka Connect worker on that Kafka (default: none). */
  connect?: KafkaConnectOptions | boolean;
}

export interface StopOptions {
  /** Keep the logs folder (and print where it is) instead of removing everything. */
  keepLogs?: boolean;
  /** How long each JVM gets after SIGTERM before SIGKILL. The data is thrown away, so 2 s by default. */
  graceMs?: number;
}

/** Running brokers and the temp dir they live in; `stop()` leaves no process and no file behind. */
export class Brokers {
  readonly dir: string;
  readonly logsDir: string;
  readonly rocketmq: RocketMQCluster | undefined;
  readonly kafka: KafkaCluster | undefined;
  readonly connect: KafkaConnectWorker | undefined;
  readonly #guard: ProcessGuard;
  /** Kafka Connect workers started later with startConnect. */
  readonly #moreConnect: KafkaConnectWorker[] = [];
  #stopped = false;

  constructor(init: {
    dir: string;
    logsDir: string;
    rocketmq: RocketMQCluster | undefined;
    kafka: KafkaCluster | undefined;
    connect?: KafkaConnectWorker | undefined;
    guard: ProcessGuard;
  }) {
    this.dir = init.dir;
    this.logsDir = init.logsDir;
    this.rocketmq = init.rocketmq;
    this.kafka = init.kafka;
    this.connect = init.connect;
    this.#guard = init.guard;
  }

  /** Every broker JVM running now. */
  get pids(): number[] {
    const connect = [this.connect, ...this.#moreConnect].flatMap((c) => (c?.pid ? [c.pid] : []));
    return [...(this.rocketmq?.pids ?? []), ...(this.kafka?.pids ?? []), ...connect];
  }

  /**
   * Another Kafka Connect worker on this Kafka (a group of its own, or `opts.groupId` to join
   * one); `stop()` stops it with the rest.
   */
  async startConnect(opts: KafkaConnectOptions = {}): Promise<KafkaConnectWorker> {
    if (!this.kafka) throw new TestkitError('Kafka Connect needs the Kafka: start it with kafka');
    const worker = await KafkaConnectWorker.start(
      this.dir,
      this.logsDir,
      this.#guard,
      this.kafka.bootstrap,
      opts,
    );
    this.#moreConnect.push(worker);
    return worker;
  }

  async stop(opts: StopOptions = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const grace = opts.graceMs ?? 2000;
    // Kafka Connect first: it would only log its lost Kafka.
    await Promise.all([this.connect, ...this.#moreConnect].map((c) => c?.stop(grace)));
    await Promise.all([this.rocketmq?.stop(grace), this.kafka?.stop(grace)]);
    await removeRunDir(this.dir, opts.keepLogs ?? false);
    if (opts.keepLogs) process.stderr.write(`[testkit] broker logs kept in ${this.logsDir}\n`);
    this.#guard.forgetDir(this.dir);
    this.#guard.close();
  }
}

async function removeRunDir(dir: string, keepLogs: boolean): Promise<void> {
  if (!keepLogs) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    entries.filter((e) => e !== 'logs').map((e) => rm(join(dir, e), { recursive: true, force: true })),
  );
}

/**
 * Starts real brokers on free 127.0.0.1 ports in a fresh temp dir. RocketMQ and Kafka start one
 * after the other: on two cores, JVMs warming up side by side finish no sooner.
 */
export async function startBrokers(opts: BrokersOptions = {}): Promise<Brokers> {
  // Before anything is made: without Java there is nothing to start or clean up.
  requireJava();
  const dir = await mkdtemp(join(process.env.SLUICE_TESTKIT_TMP ?? tmpdir(), 'sluice-testkit-'));
  const logsDir = join(dir, 'logs');
  await mkdir(logsDir);
  const guard = new ProcessGuard();
  guard.trackDir(dir);
  let rocketmq: RocketMQCluster | undefined;
  let kafka: KafkaCluster | undefined;
  let connect: KafkaConnectWorker | undefined;
  try {
    if (opts.rocketmq !== false)
      rocketmq = await RocketMQCluster.start(dir, logsDir, guard, opts.rocketmq ?? {});
    if (opts.kafka !== false) kafka = await KafkaCluster.start(dir, logsDir, guard, opts.kafka ?? {});
    if (opts.connect) {
      if (!kafka) throw new TestkitError('Kafka Connect needs the Kafka: start it with kafka');
      const connectOpts = opts.connect === true ? {} : opts.connect;
      connect = await KafkaConnectWorker.start(dir, logsDir, guard, kafka.bootstrap, connectOpts);
    }
  } catch (err) {
    await new Brokers({ dir, logsDir, rocketmq, kafka, connect, guard }).stop({ keepLogs: true });
    throw err;
  }
  return new Brokers({ dir, logsDir, rocketmq, kafka, connect, guard });
}
