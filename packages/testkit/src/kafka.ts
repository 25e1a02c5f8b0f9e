import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { resolveClasspath } from './classpath.ts';
import { TestkitError } from './errors.ts';
import type { ProcessGuard } from './guard.ts';
import { JavaProcess } from './java.ts';
import {
  type KafkaSecurityOptions,
  makeCertificates,
  type SecureListeners,
  scramFormatArgs,
  securityConfig,
  type TestCertificates,
} from './kafka-security.ts';
import { log4jConfig } from './log4j.ts';
import { freePort } from './ports.ts';
import { type ConfigValue, writeProperties } from './properties.ts';
import { waitFor } from './wait.ts';

export interface KafkaOptions {
  /** Brokers in the cluster; the first is also the (only) KRaft controller. Default 1. */
  brokers?: number;
  /** Extra server.properties entries for every broker, applied last. */
  config?: Record<string, ConfigValue>;
  /** Heap per broker in MiB (default 512). */
  heapMb?: number;
  startTimeoutMs?: number;
  /** SASL_PLAINTEXT and SSL (client auth) listeners besides PLAINTEXT. */
  security?: KafkaSecurityOptions;
}

interface Context {
  classpath: string;
  logsDir: string;
  guard: ProcessGuard;
  timeoutMs: number;
  heapMb: number;
}

/** One Kafka broker process (node 1 is broker and controller, the others brokers only). */
export class KafkaBroker {
  readonly id: number;
  readonly addr: string;
  /** The secured listeners' addresses, when the cluster has them. */
  secure: SecureListeners = {};
  readonly #ctx: Context;
  readonly #home: string;
  readonly #configFile: string;
  #process: JavaProcess | undefined;
  #starts = 0;

  constructor(ctx: Context, id: number, addr: string, home: string, configFile: string) {
    this.#ctx = ctx;
    this.id = id;
    this.addr = addr;
    this.#home = home;
    this.#configFile = configFile;
  }

  get pid(): number | undefined {
    return this.#process?.running ? this.#process.pid : undefined;
  }

  get process(): JavaProcess | undefined {
    return this.#process;
  }

  /** Starts the JVM; readiness is checked by the cluster, which knows how many brokers to expect. */
  launch(): JavaProcess {
    this.#starts++;
    const name = `kafka-${this.id}`;
    const log4j = join(this.#home, 'log4j2.xml');
    this.#process = new JavaProcess({
      name: `Kafka broker ${this.id}`,
      classpath: this.#ctx.classpath,
      mainClass: 'kafka.Kafka',
      args: [this.#configFile],
      jvmArgs: [
        `-Xms${Math.min(256, this.#ctx.heapMb)}m`,
        `-Xmx${this.#ctx.heapMb}m`,
        '-XX:+UseSerialGC',
        `-Dlog4j2.configurationFile=${log4j}`,
        `-Dkafka.logs.dir=${join(this.#ctx.logsDir, name)}`,
      ],
      cwd: this.#home,
      logFile: join(this.#ctx.logsDir, `${name}${this.#starts > 1 ? `.${this.#starts}` : ''}.out`),
      guard: this.#ctx.guard,
    });
    return this.#process;
  }

  async stop(graceMs?: number): Promise<void> {
    await this.#process?.stop(graceMs);
  }

  async kill(): Promise<void> {
    await this.#process?.kill();
  }
}

/** Apache Kafka in KRaft mode on 127.0.0.1: one combined broker/controller, optionally more brokers. */
export class KafkaCluster {
  readonly brokers: readonly KafkaBroker[];
  readonly clusterId: string;
  /** The CA and client certificates of the SSL listeners (security.ssl). */
  readonly certificates: TestCertificates | undefined;
  readonly #ctx: Context;

  private constructor(ctx: Context, clusterId: string, brokers: KafkaBroker[], certs?: TestCertificates) {
    this.#ctx = ctx;
    this.clusterId = clusterId;
    this.brokers = brokers;
    this.certificates = certs;
  }

  /** The SASL_PLAINTEXT listeners, `host:port,…` (security.saslUsers). */
  get saslBootstrap(): string {
    return this.brokers.map((b) => b.secure.SASL_PLAINTEXT ?? '').join(',');
  }

  /** The SSL listeners, which want a client certificate (security.ssl). */
  get sslBootstrap(): string {
    return this.brokers.map((b) => b.secure.SSL ?? '').join(',');
  }

  /** The bootstrap list, `host:port,host:port`, as clients take it. */
  get bootstrap(): string {
    return this.brokers.map((b) => b.addr).join(',');
  }

  get pids(): number[] {
    return this.brokers.map((b) => b.pid).filter((p): p is number => p !== undefined);
  }

  broker(id: number): KafkaBroker {
    const broker = this.brokers.find((b) => b.id === id);
    if (!broker) throw new Error(`no Kafka broker ${id}`);
    return broker;
  }

  /** Starts a stopped broker again and waits until the cluster lists it. */
  async startBroker(id: number): Promise<void> {
    const broker = this.broker(id);
    await this.#waitListed(broker, broker.launch());
  }

  async restartBroker(id: number): Promise<void> {
    await this.broker(id).stop();
    await this.startBroker(id);
  }

  async stop(graceMs?: number): Promise<void> {
    // Brokers first, the controller last, so brokers can still deregister.
    await Promise.all(this.brokers.slice(1).map((b) => b.stop(graceMs)));
    await this.brokers[0]?.stop(graceMs);
  }

  static async start(
    root: string,
    logsDir: string,
    guard: ProcessGuard,
    opts: KafkaOptions = {},
  ): Promise<KafkaCluster> {
    const classpath = await resolveClasspath('kafka');
    const ctx: Context = {
      classpath,
      logsDir,
      guard,
      timeoutMs: opts.startTimeoutMs ?? 60_000,
      heapMb: opts.heapMb ?? 512,
    };
    const count = opts.brokers ?? 1;
    // A base64url id may start with '-', which Kafka's storage tool takes for an option.
    let clusterId = randomBytes(16).toString('base64url');
    while (!/^[A-Za-z0-9]/.test(clusterId)) clusterId = randomBytes(16).toString('base64url');
    const controllerPort = await freePort();
    const voters = `1@127.0.0.1:${controllerPort}`;
    const brokers: KafkaBroker[] = [];
    const security = opts.security ?? {};
    const certs = security.ssl ? await makeCertificates(join(root, 'kafka', 'certs')) : undefined;
    for (let id = 1; id <= count; id++) {
      const home = join(root, 'kafka', `broker-${id}`);
      const dataDir = join(home, 'data');
      await mkdir(dataDir, { recursive: true });
      await mkdir(join(logsDir, `kafka-${id}`), { recursive: true });
      const port = await freePort();
      const addr = `127.0.0.1:${port}`;
      const combined = id === 1;
      const secure: SecureListeners = {};
      if (security.saslUsers) secure.SASL_PLAINTEXT = `127.0.0.1:${await freePort()}`;
      if (security.ssl) secure.SSL = `127.0.0.1:${await freePort()}`;
      const advertised = [
        `PLAINTEXT://${addr}`,
        ...Object.entries(secure).map(([n, a]) => `${n}://${a}`),
      ].join(',');
      const config: Record<string, ConfigValue> = {
        'process.roles': combined ? 'broker,controller' : 'broker',
        'node.id': id,
        'controller.quorum.voters': voters,
        listeners: combined ? `${advertised},CONTROLLER://127.0.0.1:${controllerPort}` : advertised,
        'advertised.listeners': advertised,
        'controller.listener.names': 'CONTROLLER',
        'listener.security.protocol.map':
          'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL',
        'inter.broker.listener.name': 'PLAINTEXT',
        'log.dirs': dataDir,
        'num.partitions': 1,
        'default.replication.factor': 1,
        'offsets.topic.replication.factor': 1,
        // 50 partitions (the default) make the first consumer group slow to start on 2 cores.
        'offsets.topic.num.partitions': 4,
        'transaction.state.log.replication.factor': 1,
        'transaction.state.log.min.isr': 1,
        'transaction.state.log.num.partitions': 4,
        'share.coordinator.state.topic.replication.factor': 1,
        'share.coordinator.state.topic.min.isr': 1,
        'group.initial.rebalance.delay.ms': 0,
        'num.network.threads': 2,
        'num.io.threads': 2,
        'log.segment.bytes': 64 * 1024 * 1024,
        'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
        'auto.create.topics.enable': true,
        ...securityConfig(security, secure, certs),
        ...opts.config,
      };
      const configFile = join(home, 'server.properties');
      await writeProperties(configFile, config);
      await writeFile(
        join(home, 'log4j2.xml'),
        log4jConfig(join(logsDir, `kafka-${id}`, 'server.log'), {
          'kafka.request.logger': 'WARN',
          'org.apache.kafka.controller': 'WARN',
        }),
      );
      const scram = combined ? scramFormatArgs(security) : [];
      await formatStorage(ctx, clusterId, configFile, join(logsDir, `kafka-${id}.format.out`), scram);
      const broker = new KafkaBroker(ctx, id, addr, home, configFile);
      broker.secure = secure;
      brokers.push(broker);
    }
    const cluster = new KafkaCluster(ctx, clusterId, brokers, certs);
    try {
      for (const broker of brokers) {
        const process = broker.launch();
        await cluster.#waitListed(broker, process);
      }
    } catch (err) {
      await cluster.stop(2000);
      throw err;
    }
    return cluster;
  }

  /** Ready = the broker answers a metadata request that lists itself (it registered and is unfenced). */
  async #waitListed(broker: KafkaBroker, process: JavaProcess): Promise<void> {
    const admin = new Admin({
      clientId: 'sluice-testkit-probe',
      bootstrapBrokers: [broker.addr],
      retries: 0,
      connectTimeout: 1000,
    });
    try {
      await waitFor(
        `Kafka broker ${broker.id}`,
        async () => (await admin.metadata({ topics: [], forceUpdate: true })).brokers.has(broker.id),
        { timeoutMs: this.#ctx.timeoutMs, process },
      );
    } finally {
      await admin.close().catch(() => {});
    }
  }
}

/** KRaft needs its storage formatted with the cluster id before the first start. */
async function formatStorage(
  ctx: Context,
  clusterId: string,
  configFile: string,
  logFile: string,
  extra: string[] = [],
): Promise<void> {
  const tool = new JavaProcess({
    name: 'Kafka storage format',
    classpath: ctx.classpath,
    mainClass: 'kafka.tools.StorageTool',
    args: ['format', '-t', clusterId, '-c', configFile, '--ignore-formatted', ...extra],
    jvmArgs: ['-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'],
    cwd: ctx.logsDir,
    logFile,
    guard: ctx.guard,
  });
  const code = await tool.exited;
  if (code !== 0) throw new TestkitError(`formatting Kafka storage failed (exit ${code}); see ${logFile}`);
}
