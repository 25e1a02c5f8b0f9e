import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveClasspath } from './classpath.ts';
import { TestkitError } from './errors.ts';
import type { ProcessGuard } from './guard.ts';
import { JavaProcess } from './java.ts';
import { freePort } from './ports.ts';
import { type ConfigValue, writeProperties } from './properties.ts';
import { createLimitedAccount, DEFAULT_ACL, type RocketMQAcl } from './rocketmq-acl.ts';
import { brokerConfig, CLUSTER_NAME, LOGBACK_4_9 } from './rocketmq-config.ts';
import { registeredBrokers, remotingRequest } from './rocketmq-probe.ts';
import { waitFor } from './wait.ts';

export interface RocketMQOptions {
  /** Master brokers in the one cluster (each with its own name, broker-a, broker-b, …). Default 1. */
  brokers?: number;
  /** Turn on authentication and authorization (ACL 2.0) with an admin and a limited account. */
  acl?: boolean;
  /** Extra broker.conf entries, applied last. */
  brokerConfig?: Record<string, ConfigValue>;
  /** Broker heap in MiB (default 512). */
  brokerHeapMb?: number;
  /** How long to wait for each process to become ready (default 60 s). */
  startTimeoutMs?: number;
  /** `5.5` (default) or `4.9` (4.9.7, for the users still on 4.x; no ACL 2.0 there). */
  version?: '5.5' | '4.9';
}

/**
 * RocketMQ 4.9 reaches into JDK internals (direct buffers, their cleaners) that Java 17 closes:
 * without these it cannot unmap its files and does not shut down cleanly.
 */
const JAVA17_OPENS_FOR_4_9 = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED',
];

const NAMESRV_MAIN = 'org.apache.rocketmq.namesrv.NamesrvStartup';
const BROKER_MAIN = 'org.apache.rocketmq.broker.BrokerStartup';

interface Context {
  dir: string;
  logsDir: string;
  guard: ProcessGuard;
  classpath: string;
  timeoutMs: number;
  /** JVM flags the version needs. */
  jvmArgs: string[];
}

/** One RocketMQ broker: same ports, config and store across restarts, like a real machine. */
export class RocketMQBroker {
  readonly name: string;
  readonly addr: string;
  readonly port: number;
  #process: JavaProcess | undefined;
  readonly #ctx: Context;
  readonly #confFile: string;
  readonly #home: string;
  #starts = 0;

  constructor(ctx: Context, name: string, port: number, confFile: string, home: string) {
    this.#ctx = ctx;
    this.name = name;
    this.port = port;
    this.addr = `127.0.0.1:${port}`;
    this.#confFile = confFile;
    this.#home = home;
  }

  get process(): JavaProcess | undefined {
    return this.#process;
  }

  get pid(): number | undefined {
    return this.#process?.running ? this.#process.pid : undefined;
  }

  /** Starts the broker and resolves once the name server lists it. */
  async start(namesrvAddr: string, heapMb: number): Promise<void> {
    this.#starts++;
    const logFile = join(this.#ctx.logsDir, `${this.name}${this.#starts > 1 ? `.${this.#starts}` : ''}.out`);
    this.#process = new JavaProcess({
      name: `RocketMQ broker ${this.name}`,
      classpath: this.#ctx.classpath,
      mainClass: BROKER_MAIN,
      args: ['-c', this.#confFile],
      jvmArgs: [
        `-Xms${Math.min(256, heapMb)}m`,
        `-Xmx${heapMb}m`,
        '-XX:+UseSerialGC',
        '-XX:MaxDirectMemorySize=512m',
        // RocketMQ logs to ${user.home}/logs/rocketmqlogs: point it into the kept logs folder.
        `-Duser.home=${join(this.#ctx.logsDir, this.name)}`,
        `-Drocketmq.home.dir=${this.#home}`,
        ...this.#ctx.jvmArgs,
      ],
      env: { ROCKETMQ_HOME: this.#home },
      cwd: this.#home,
      logFile,
      guard: this.#ctx.guard,
    });
    const process = this.#process;
    await waitFor(
      `RocketMQ broker ${this.name}`,
      async () => (await registeredBrokers(namesrvAddr)).includes(this.addr),
      { timeoutMs: this.#ctx.timeoutMs, process },
    );
  }

  async stop(graceMs?: number): Promise<void> {
    await this.#process?.stop(graceMs);
  }

  /**
   * Deletes the messages of a stopped broker (commit log, consume queues, index; topic configs
   * and consumer offsets stay), as a broker that lost its data disk: started again, every queue
   * is empty and starts at offset 0.
   */
  async loseMessages(): Promise<void> {
    if (this.#process?.running) throw new Error(`broker ${this.name} is running: stop it first`);
    for (const part of ['commitlog', 'consumequeue', 'index', 'checkpoint', 'abort'])
      await rm(join(this.#home, 'store', part), { recursive: true, force: true });
  }

  /** SIGKILL: no flush, no unregister, as on a crash. */
  async kill(): Promise<void> {
    await this.#process?.kill();
  }
}

/** A name server and one or more master brokers on 127.0.0.1, in one temp directory. */
export class RocketMQCluster {
  readonly namesrvAddr: string;
  readonly clusterName = CLUSTER_NAME;
  readonly brokers: readonly RocketMQBroker[];
  readonly acl: RocketMQAcl | undefined;
  readonly home: string;
  readonly classpath: string;
  readonly #namesrv: JavaProcess;
  readonly #heapMb: number;

  private constructor(init: {
    namesrvAddr: string;
    namesrv: JavaProcess;
    brokers: RocketMQBroker[];
    acl: RocketMQAcl | undefined;
    home: string;
    classpath: string;
    heapMb: number;
  }) {
    this.namesrvAddr = init.namesrvAddr;
    this.#namesrv = init.namesrv;
    this.brokers = init.brokers;
    this.acl = init.acl;
    this.home = init.home;
    this.classpath = init.classpath;
    this.#heapMb = init.heapMb;
  }

  get namesrv(): JavaProcess {
    return this.#namesrv;
  }

  /** Every JVM of this cluster that is running now. */
  get pids(): number[] {
    const pids = this.brokers.map((b) => b.pid).filter((p): p is number => p !== undefined);
    if (this.#namesrv.running) pids.push(this.#namesrv.pid);
    return pids;
  }

  broker(name: string): RocketMQBroker {
    const broker = this.brokers.find((b) => b.name === name);
    if (!broker) throw new Error(`no broker named ${name}`);
    return broker;
  }

  /** Stops a broker gracefully and starts it again on the same port and store. */
  async restartBroker(name: string): Promise<void> {
    const broker = this.broker(name);
    await broker.stop();
    await broker.start(this.namesrvAddr, this.#heapMb);
  }

  /** Starts a stopped or killed broker again. */
  async startBroker(name: string): Promise<void> {
    await this.broker(name).start(this.namesrvAddr, this.#heapMb);
  }

  async stop(graceMs?: number): Promise<void> {
    await Promise.all([...this.brokers.map((b) => b.stop(graceMs)), this.#namesrv.stop(graceMs)]);
  }

  static async start(
    root: string,
    logsDir: string,
    guard: ProcessGuard,
    opts: RocketMQOptions = {},
  ): Promise<RocketMQCluster> {
    const old = opts.version === '4.9';
    if (old && opts.acl) throw new TestkitError('RocketMQ 4.9 has no ACL 2.0: start it without acl');
    const classpath = await resolveClasspath(old ? 'rocketmq-4.9' : 'rocketmq');
    const dir = join(root, 'rocketmq');
    const timeoutMs = opts.startTimeoutMs ?? 60_000;
    const heapMb = opts.brokerHeapMb ?? 512;
    const jvmArgs = old ? JAVA17_OPENS_FOR_4_9 : [];
    const ctx: Context = { dir, logsDir, guard, classpath, timeoutMs, jvmArgs };
    const acl = opts.acl ? DEFAULT_ACL : undefined;

    const nsHome = join(dir, 'namesrv');
    await mkdir(join(nsHome, 'conf'), { recursive: true });
    if (old) await writeFile(join(nsHome, 'conf', 'logback_namesrv.xml'), LOGBACK_4_9);
    const nsPort = await freePort();
    const namesrvAddr = `127.0.0.1:${nsPort}`;
    await writeProperties(join(nsHome, 'namesrv.conf'), {
      listenPort: nsPort,
      kvConfigPath: join(nsHome, 'kvConfig.json'),
    });
    const brokers: RocketMQBroker[] = [];
    const namesrv = new JavaProcess({
      name: 'RocketMQ name server',
      classpath,
      mainClass: NAMESRV_MAIN,
      args: ['-c', join(nsHome, 'namesrv.conf')],
      jvmArgs: [
        '-Xms64m',
        '-Xmx128m',
        '-XX:+UseSerialGC',
        `-Duser.home=${join(logsDir, 'namesrv')}`,
        `-Drocketmq.home.dir=${nsHome}`,
        ...jvmArgs,
      ],
      env: { ROCKETMQ_HOME: nsHome },
      cwd: nsHome,
      logFile: join(logsDir, 'namesrv.out'),
      guard,
    });
    try {
      await waitFor(
        'RocketMQ name server',
        async () => (await remotingRequest(namesrvAddr, 106)).code === 0,
        {
          timeoutMs,
          process: namesrv,
        },
      );

      const count = opts.brokers ?? 1;
      for (let i = 0; i < count; i++) {
        const name = `broker-${String.fromCharCode(97 + i)}`;
        const home = join(dir, name);
        await mkdir(join(home, 'conf'), { recursive: true });
        if (old) await writeFile(join(home, 'conf', 'logback_broker.xml'), LOGBACK_4_9);
        // The broker also binds listenPort-2 (fast channel) and listenPort+1 (HA).
        const port = await freePort([-2, 1]);
        const conf = join(home, 'broker.conf');
        await writeProperties(conf, brokerConfig(name, port, namesrvAddr, home, acl, opts.brokerConfig));
        brokers.push(new RocketMQBroker(ctx, name, port, conf, home));
      }
      // Sequentially: two JVMs warming up at once on two cores are slower than one after the other.
      for (const broker of brokers) await broker.start(namesrvAddr, heapMb);
      const cluster = new RocketMQCluster({
        namesrvAddr,
        namesrv,
        brokers,
        acl,
        home: dir,
        classpath,
        heapMb,
      });
      if (acl) await createLimitedAccount(cluster, acl);
      return cluster;
    } catch (err) {
      await Promise.all(brokers.map((b) => b.stop(2000)));
      await namesrv.stop(2000);
      throw err;
    }
  }
}

export { CLUSTER_NAME, DEFAULT_ACL, type RocketMQAcl };
