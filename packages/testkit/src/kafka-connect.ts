import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveClasspath } from './classpath.ts';
import type { ProcessGuard } from './guard.ts';
import { JavaProcess } from './java.ts';
import { log4jConfig } from './log4j.ts';
import { freePort } from './ports.ts';
import { type ConfigValue, writeProperties } from './properties.ts';
import { waitFor } from './wait.ts';

export interface KafkaConnectOptions {
  /** Extra worker properties, applied last. */
  config?: Record<string, ConfigValue>;
  /** Heap in MiB (default 384). */
  heapMb?: number;
  /**
   * JVM flags instead of the kit's small heap and serial GC (a benchmark passes what
   * kafka-run-class.sh gives a production worker).
   */
  jvmArgs?: string[];
  /** Join this worker group (another worker's `groupId`) instead of starting a new one. */
  groupId?: string;
  startTimeoutMs?: number;
}

/**
 * A real Kafka Connect worker (ConnectDistributed, the release of the testkit's Kafka) with the
 * FileStream and JSON plugins, in a group of its own on the given Kafka: the reference Sluice's
 * HTTP API is compared with.
 */
export class KafkaConnectWorker {
  /** `http://127.0.0.1:port`, where its REST API answers. */
  readonly url: string;
  readonly groupId: string;
  readonly #process: JavaProcess;

  private constructor(url: string, groupId: string, process: JavaProcess) {
    this.url = url;
    this.groupId = groupId;
    this.#process = process;
  }

  get pid(): number | undefined {
    return this.#process.running ? this.#process.pid : undefined;
  }

  async stop(graceMs?: number): Promise<void> {
    await this.#process.stop(graceMs);
  }

  /** SIGKILL, as on a crash. */
  async kill(): Promise<void> {
    await this.#process.kill();
  }

  static async start(
    root: string,
    logsDir: string,
    guard: ProcessGuard,
    bootstrap: string,
    opts: KafkaConnectOptions = {},
  ): Promise<KafkaConnectWorker> {
    const classpath = await resolveClasspath('kafka-connect');
    const port = await freePort();
    // Several workers may share a root: each has a home of its own.
    const home = join(root, `kafka-connect-${port}`);
    await mkdir(home, { recursive: true });
    const groupId = opts.groupId ?? `connect-${randomBytes(4).toString('hex')}`;
    const config: Record<string, ConfigValue> = {
      'bootstrap.servers': bootstrap,
      'group.id': groupId,
      'config.storage.topic': `${groupId}-configs`,
      'offset.storage.topic': `${groupId}-offsets`,
      'status.storage.topic': `${groupId}-status`,
      'config.storage.replication.factor': 1,
      'offset.storage.replication.factor': 1,
      'status.storage.replication.factor': 1,
      'offset.storage.partitions': 1,
      'status.storage.partitions': 1,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      listeners: `http://127.0.0.1:${port}`,
      'rest.advertised.host.name': '127.0.0.1',
      'rest.advertised.port': port,
      'offset.flush.interval.ms': 1000,
      // The plugins are on the classpath: no plugin.path to scan.
      'plugin.discovery': 'only_scan',
      ...opts.config,
    };
    const configFile = join(home, 'connect-distributed.properties');
    await writeProperties(configFile, config);
    const log4j = join(home, 'log4j2.xml');
    await writeFile(
      log4j,
      log4jConfig(join(logsDir, `kafka-connect-${port}.log`), { 'org.reflections': 'ERROR' }),
    );
    const heapMb = opts.heapMb ?? 384;
    const memory = opts.jvmArgs ?? ['-Xms128m', `-Xmx${heapMb}m`, '-XX:+UseSerialGC'];
    const process = new JavaProcess({
      name: 'Kafka Connect worker',
      classpath,
      mainClass: 'org.apache.kafka.connect.cli.ConnectDistributed',
      args: [configFile],
      jvmArgs: [...memory, `-Dlog4j2.configurationFile=${log4j}`],
      cwd: home,
      logFile: join(logsDir, `kafka-connect-${port}.out`),
      guard,
    });
    const url = `http://127.0.0.1:${port}`;
    // Ready = it joined its group: the root answers, and /connectors does (503 while starting).
    await waitFor(
      'Kafka Connect worker',
      async () => {
        const r = await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(2000) }).catch(
          () => undefined,
        );
        return r?.status === 200;
      },
      { timeoutMs: opts.startTimeoutMs ?? 120_000, process },
    );
    return new KafkaConnectWorker(url, groupId, process);
  }
}
