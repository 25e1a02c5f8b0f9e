import { join } from 'node:path';
import type { ConfigIssue, ConfigSpec, ConnectorConfig, Logger, SourcePosition } from '@sluice/connect-api';
import { type ClientOptions, Producer, PullConsumer } from '@sluice/rocketmq';
import type { WorkerConfig } from '../config/worker-config.ts';
import { validateConfig } from '../connector/validate-config.ts';
import { SluiceError } from '../errors.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { ConfigStore, type StoredConnector } from '../stores/config-store.ts';
import { FileStore } from '../stores/file-store.ts';
import { OffsetStore } from '../stores/offset-store.ts';
import { PositionStore } from '../stores/position-store.ts';
import { ConnectorOffsets, type OffsetEntry } from './connector-offsets.ts';
import { ConnectorConfigError, ConnectorRuntime, sinkTopics } from './connector-runtime.ts';
import type { ConnectorInfo, WorkerApi } from './worker-api.ts';
import {
  checkConnectorName,
  clientOptions,
  createGroup,
  kindOf,
  listPlugins,
  validateAgainst,
} from './worker-common.ts';

/**
 * One worker with file-backed stores under `storePathRootDir/standalone` (positions, offsets,
 * connector configs) and no cluster topics; data still flows through RocketMQ.
 */
export class StandaloneWorker implements WorkerApi {
  readonly #config: WorkerConfig;
  readonly #registry: PluginRegistry;
  readonly #logger: Logger;
  readonly #connectors = new Map<string, ConnectorRuntime>();
  #producer: Producer | undefined;
  #positions: PositionStore | undefined;
  #offsets: OffsetStore | undefined;
  #configs: ConfigStore | undefined;
  #connectorOffsets: ConnectorOffsets | undefined;
  #stores: FileStore<unknown>[] = [];
  /** Serializes every write, so concurrent requests end in one consistent state. */
  #writes: Promise<unknown> = Promise.resolve();
  readonly #removed = new Set<string>();

  constructor(config: WorkerConfig, registry: PluginRegistry, logger: Logger) {
    this.#config = config;
    this.#registry = registry;
    this.#logger = logger;
  }

  get workerId(): string {
    return this.#config.workerId;
  }

  get connectors(): ReadonlyMap<string, ConnectorRuntime> {
    return this.#connectors;
  }

  get storedConnectors(): [string, StoredConnector][] {
    return this.#configs!.list();
  }

  #client(): ClientOptions {
    return clientOptions(this.#config);
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
    this.#connectorOffsets = new ConnectorOffsets({
      positions: this.#positions,
      offsets: this.#offsets,
      consumer: (group) => new PullConsumer({ ...this.#client(), group }),
      logger: this.#logger,
    });
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
    await this.createConnector(name, config);
    return this.#connectors.get(name)!;
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#writes.then(op, op);
    this.#writes = next.catch(() => {});
    return next;
  }

  #stored(name: string): StoredConnector {
    const stored = this.#configs!.get(name);
    if (!stored) throw new SluiceError('NOT_FOUND', `connector ${name} not found`);
    return stored;
  }

  listConnectors(): ConnectorInfo[] {
    return this.#configs!.list().map(([name]) => this.getConnector(name));
  }

  getConnector(name: string): ConnectorInfo {
    const stored = this.#stored(name);
    const runtime = this.#connectors.get(name);
    return {
      name,
      config: stored.config,
      enabled: stored.enabled,
      type: runtime?.connectorClass.kind ?? this.#kindOf(stored.config),
      trace: runtime?.failure,
      tasks: (runtime?.tasks ?? []).map((t) => ({
        id: t.id,
        config: runtime?.taskConfigs[t.id] ?? {},
        status: t.status,
        workerId: this.workerId,
      })),
    };
  }

  connectorState(name: string): 'enabled' | 'disabled' | 'removed' | 'unknown' {
    const stored = this.#configs!.get(name);
    if (stored) return stored.enabled ? 'enabled' : 'disabled';
    return this.#removed.has(name) ? 'removed' : 'unknown';
  }

  createConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo> {
    return this.#serial(async () => {
      if (this.#configs!.get(name)) throw new SluiceError('CONFLICT', `connector ${name} exists already`);
      await this.#run(name, config);
      await this.#configs!.put(name, { config, enabled: true });
      this.#removed.delete(name);
      return this.getConnector(name);
    });
  }

  updateConnector(name: string, changes: ConnectorConfig): Promise<ConnectorInfo> {
    return this.#serial(async () => {
      const stored = this.#stored(name);
      const config = { ...stored.config, ...changes };
      if (stored.enabled) await this.#replace(name, stored.config, config);
      else this.#check(name, config);
      await this.#configs!.put(name, { config, enabled: stored.enabled });
      return this.getConnector(name);
    });
  }

  async setTaskCount(name: string, tasks: number): Promise<{ before: number; after: number }> {
    if (!Number.isInteger(tasks) || tasks < 1 || tasks > 1024) {
      throw new SluiceError(
        'BAD_REQUEST',
        `the task count must be a whole number from 1 to 1024 (got ${tasks})`,
      );
    }
    const before = Number(this.#configs!.get(name)?.config['tasks.num'] ?? 1);
    await this.updateConnector(name, { 'tasks.num': String(tasks) });
    return { before, after: tasks };
  }

  enableConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      const stored = this.#stored(name);
      if (stored.enabled) throw new SluiceError('CONFLICT', `connector ${name} is enabled already`);
      await this.#run(name, stored.config);
      await this.#configs!.put(name, { ...stored, enabled: true });
    });
  }

  disableConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      const stored = this.#stored(name);
      if (!stored.enabled) throw new SluiceError('CONFLICT', `connector ${name} is disabled already`);
      await this.#halt(name);
      await this.#configs!.put(name, { ...stored, enabled: false });
    });
  }

  /** Stops a connector (final commits) and deletes its stored config. */
  removeConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      this.#stored(name);
      await this.#halt(name);
      await this.#configs!.remove(name);
      this.#removed.add(name);
    });
  }

  async reloadPlugins(): Promise<{ loaded: string[]; failures: { path: string; error: string }[] }> {
    return this.#registry.load(this.#config.pluginPaths);
  }

  pauseConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      this.#stored(name);
      this.#connectors.get(name)?.pause();
    });
  }

  /** Resumes a paused connector, or starts a stopped one again (as Kafka Connect's resume does). */
  resumeConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      const stored = this.#stored(name);
      if (!stored.enabled) {
        await this.#run(name, stored.config);
        await this.#configs!.put(name, { ...stored, enabled: true });
        return;
      }
      this.#connectors.get(name)?.resume();
    });
  }

  restartConnector(name: string, opts: { includeTasks?: boolean; onlyFailed?: boolean } = {}): Promise<void> {
    return this.#serial(async () => {
      const stored = this.#stored(name);
      if (!stored.enabled)
        throw new SluiceError('CONFLICT', `connector ${name} is stopped; resume it instead`);
      const runtime = this.#connectors.get(name);
      if (!runtime) {
        await this.#run(name, stored.config);
        return;
      }
      const tasks = opts.includeTasks
        ? runtime.tasks.filter((t) => !opts.onlyFailed || t.status.state === 'FAILED').map((t) => t.id)
        : [];
      if (!opts.onlyFailed || runtime.failure !== undefined) await runtime.restartInstance();
      for (const id of tasks) await runtime.restartTask(id);
    });
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.#serial(async () => {
      const stored = this.#stored(name);
      const runtime = this.#connectors.get(name);
      if (!stored.enabled || !runtime) throw new SluiceError('CONFLICT', `connector ${name} is stopped`);
      if (!runtime.tasks.some((t) => t.id === id))
        throw new SluiceError('NOT_FOUND', `connector ${name} has no task ${id}`);
      await runtime.restartTask(id);
    });
  }

  async connectorOffsets(name: string): Promise<OffsetEntry[]> {
    const stored = this.#stored(name);
    return this.#connectorOffsets!.list(name, this.#offsetKind(name, stored.config));
  }

  alterConnectorOffsets(name: string, entries: OffsetEntry[]): Promise<void> {
    return this.#serial(async () => {
      const stored = this.#stoppedForOffsets(name);
      await this.#connectorOffsets!.alter(name, this.#offsetKind(name, stored.config), entries);
    });
  }

  resetConnectorOffsets(name: string): Promise<void> {
    return this.#serial(async () => {
      const stored = this.#stoppedForOffsets(name);
      await this.#connectorOffsets!.reset(
        name,
        this.#offsetKind(name, stored.config),
        sinkTopics(this.#registry.resolve(stored.config).create(), stored.config),
      );
    });
  }

  #stoppedForOffsets(name: string): StoredConnector {
    const stored = this.#stored(name);
    // A running task would overwrite the change with its next commit.
    if (stored.enabled)
      throw new SluiceError(
        'CONFLICT',
        `connector ${name} is running: stop it first (PUT /connectors/${name}/stop), then change its offsets`,
      );
    return stored;
  }

  #offsetKind(name: string, config: ConnectorConfig): 'source' | 'sink' {
    const kind = this.#kindOf(config);
    if (kind === 'unknown')
      throw new SluiceError(
        'CONFLICT',
        `connector ${name}: its plugin is not installed, so its offsets are unknown`,
      );
    return kind;
  }

  plugins(): { className: string; type: 'source' | 'sink'; version: string; plugin: string }[] {
    return listPlugins(this.#registry);
  }

  validate(className: string, config: ConnectorConfig): { spec: ConfigSpec; issues: ConfigIssue[] } {
    return validateAgainst(this.#registry, className, config);
  }

  workers(): { workerId: string; clientId: string }[] {
    return [{ workerId: this.workerId, clientId: `${this.workerId}@standalone` }];
  }

  #kindOf(config: ConnectorConfig): 'source' | 'sink' | 'unknown' {
    return kindOf(this.#registry, config);
  }

  /** Throws what a start would throw for this config, without starting anything. */
  #check(name: string, config: ConnectorConfig): void {
    const cls = this.#registry.resolve(config);
    const { issues } = validateConfig(cls.create().configSpec, config);
    if (issues.length > 0) throw new ConnectorConfigError(name, issues);
  }

  /** Runs `next` instead of `prev`; if `next` does not start, `prev` runs again (nothing changed). */
  async #replace(name: string, prev: ConnectorConfig, next: ConnectorConfig): Promise<void> {
    this.#check(name, next);
    await this.#halt(name);
    try {
      await this.#run(name, next);
    } catch (err) {
      await this.#run(name, prev).catch(() => {});
      throw err;
    }
  }

  async #halt(name: string): Promise<void> {
    const runtime = this.#connectors.get(name);
    this.#connectors.delete(name);
    await runtime?.stop();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#connectors.values()].map((c) => c.stop()));
    this.#producer?.close();
    await Promise.all(this.#stores.map((s) => s.close()));
  }

  async #run(name: string, config: ConnectorConfig): Promise<ConnectorRuntime> {
    checkConnectorName(name);
    if (this.#connectors.has(name)) throw new SluiceError('CONFLICT', `connector ${name} exists already`);
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

  #createGroup(group: string): Promise<void> {
    return createGroup(this.#client(), group);
  }
}
