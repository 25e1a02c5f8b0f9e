import { join } from 'node:path';
import type { ConnectorConfig, Logger, SourcePosition } from '@sluice/connect-api';
import { Admin, type ClientOptions, Producer } from '@sluice/rocketmq';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { ConfigStore, type StoredConnector } from '../stores/config-store.ts';
import { FileStore } from '../stores/file-store.ts';
import { OffsetStore } from '../stores/offset-store.ts';
import { PositionStore } from '../stores/position-store.ts';
import { ConnectorRuntime } from './connector-runtime.ts';

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * One worker with file-backed stores under `storePathRootDir/standalone` (positions, offsets,
 * connector configs) and no cluster topics; data still flows through RocketMQ.
 */
export class StandaloneWorker {
  readonly #config: WorkerConfig;
  readonly #registry: PluginRegistry;
  readonly #logger: Logger;
  readonly #connectors = new Map<string, ConnectorRuntime>();
  #producer: Producer | undefined;
  #positions: PositionStore | undefined;
  #offsets: OffsetStore | undefined;
  #configs: ConfigStore | undefined;
  #stores: FileStore<unknown>[] = [];

  constructor(config: WorkerConfig, registry: PluginRegistry, logger: Logger) {
    this.#config = config;
    this.#registry = registry;
    this.#logger = logger;
  }

  get connectors(): ReadonlyMap<string, ConnectorRuntime> {
    return this.#connectors;
  }

  get storedConnectors(): [string, StoredConnector][] {
    return this.#configs!.list();
  }

  #client(): ClientOptions {
    const c = this.#config;
    return {
      namesrvAddr: c.namesrvAddr,
      ...(c.aclEnable && c.accessKey && c.secretKey
        ? { credentials: { accessKey: c.accessKey, secretKey: c.secretKey } }
        : {}),
    };
  }

  async start(): Promise<void> {
    const dir = join(this.#config.storePathRootDir, 'standalone');
    const positions = await FileStore.open<SourcePosition>(join(dir, 'positions.json'));
    const offsets = await FileStore.open<string>(join(dir, 'offsets.json'));
    const connectors = await FileStore.open<StoredConnector>(join(dir, 'connectors.json'));
    this.#stores = [positions, offsets, connectors] as FileStore<unknown>[];
    this.#positions = new PositionStore(positions);
    this.#offsets = new OffsetStore(offsets);
    this.#configs = new ConfigStore(connectors);
    this.#producer = new Producer({
      ...this.#client(),
      group: `connector-producer-${this.#config.workerId}`,
    });
    const { failures } = await this.#registry.load(this.#config.pluginPaths);
    for (const f of failures) this.#logger.error('plugin failed to load', { path: f.path, error: f.error });
  }

  /**
   * Starts the connectors stored by an earlier run, except those named in `skip` (given again at
   * start: their new config wins). A stored connector that fails to start is logged and kept.
   */
  async resumeStored(skip: ReadonlySet<string> = new Set()): Promise<void> {
    for (const [name, stored] of this.#configs!.list()) {
      if (skip.has(name) || !stored.enabled) continue;
      try {
        await this.#run(name, stored.config);
      } catch (err) {
        this.#logger.error('stored connector could not start', { connector: name, error: String(err) });
      }
    }
  }

  /** Validates, starts and stores a connector; its config survives restarts of the worker. */
  async addConnector(name: string, config: ConnectorConfig): Promise<ConnectorRuntime> {
    const runtime = await this.#run(name, config);
    await this.#configs!.put(name, { config, enabled: true });
    return runtime;
  }

  /** Stops a connector (final commits) and deletes its stored config. */
  async removeConnector(name: string): Promise<void> {
    await this.#connectors.get(name)?.stop();
    this.#connectors.delete(name);
    await this.#configs!.remove(name);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#connectors.values()].map((c) => c.stop()));
    this.#producer?.close();
    await Promise.all(this.#stores.map((s) => s.close()));
  }

  async #run(name: string, config: ConnectorConfig): Promise<ConnectorRuntime> {
    if (!NAME.test(name)) {
      throw new Error(`connector name ${JSON.stringify(name)}: 1-128 letters, digits, '_', '.' or '-'`);
    }
    if (this.#connectors.has(name)) throw new Error(`connector ${name} exists already`);
    const runtime = new ConnectorRuntime(name, this.#registry.resolve(config), config, {
      client: this.#client(),
      ...(this.#config.autoCreateGroupEnable
        ? { createGroup: (group: string) => this.#createGroup(group) }
        : {}),
      producer: this.#producer!,
      positions: this.#positions!,
      offsets: this.#offsets!,
      logger: this.#logger,
      callTimeoutMs: this.#config.connectorCallTimeoutMs,
      commitIntervalMs: this.#config.offsetCommitIntervalMs,
    });
    this.#connectors.set(name, runtime);
    try {
      await runtime.start();
    } catch (err) {
      this.#connectors.delete(name);
      await runtime.stop().catch(() => {});
      throw err;
    }
    this.#logger.info('connector started', {
      connector: name,
      class: runtime.connectorClass.name,
      tasks: runtime.tasks.length,
    });
    return runtime;
  }

  async #createGroup(group: string): Promise<void> {
    const admin = new Admin(this.#client());
    try {
      await admin.createSubscriptionGroup({ groupName: group });
    } finally {
      admin.close();
    }
  }
}
