import { join } from 'node:path';
import type { ConfigIssue, ConfigSpec, ConnectorConfig, Logger, SourcePosition } from '@sluice/connect-api';
import { type ClientOptions, Producer, PullConsumer } from '@sluice/rocketmq';
import type { WorkerConfig } from '../config/worker-config.ts';
import { validateConfig } from '../connector/validate-config.ts';
import { SluiceError } from '../errors.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { StoredConnector } from '../stores/config-store.ts';
import { FileStore } from '../stores/file-store.ts';
import { OffsetStore } from '../stores/offset-store.ts';
import { PositionStore } from '../stores/position-store.ts';
import type { TaskStatus } from '../task/state.ts';
import { withTimeout } from '../task/timeout.ts';
import { ConnectorOffsets, type OffsetEntry } from '../worker/connector-offsets.ts';
import { ConnectorConfigError, ConnectorRuntime, sinkTopics } from '../worker/connector-runtime.ts';
import type { ConnectorInfo, WorkerApi } from '../worker/worker-api.ts';
import {
  checkConnectorName,
  clientOptions,
  createGroup,
  kindOf,
  listPlugins,
  validateAgainst,
} from '../worker/worker-common.ts';
import type { AssignorName } from './assignor.ts';
import { ClusterConfig } from './cluster-config.ts';
import { ensureClusterResources } from './cluster-resources.ts';
import type { ConfigOp } from './config-log.ts';
import { Coordinator, type LocalTasks } from './coordinator.ts';
import { Membership, memberClientId, type TaskReport } from './membership.ts';
import { ReplicatedStore } from './replicated-store.ts';
import { TopicLog } from './topic-log.ts';

/**
 * A worker of a cluster: connector configs, positions and offsets live in RocketMQ topics
 * (with local copies under storePathRootDir/cluster), membership comes from the cluster group,
 * and the coordinator runs this worker's share of the tasks. Any worker takes every write.
 */
export class DistributedWorker implements WorkerApi {
  readonly #config: WorkerConfig;
  readonly #registry: PluginRegistry;
  readonly #logger: Logger;
  /** Where this worker's HTTP API answers; set by `start`. */
  url = '';
  #producer: Producer | undefined;
  #clusterConfig: ClusterConfig | undefined;
  #membership: Membership | undefined;
  #coordinator: Coordinator | undefined;
  #positions: ReplicatedStore<SourcePosition> | undefined;
  #offsets: ReplicatedStore<string> | undefined;
  readonly #closers: (() => Promise<void> | void)[] = [];
  readonly #local = new Map<string, ConnectorRuntime>();
  readonly #known = new Set<string>();
  readonly #removed = new Set<string>();

  constructor(config: WorkerConfig, registry: PluginRegistry, logger: Logger) {
    this.#config = config;
    this.#registry = registry;
    this.#logger = logger;
  }

  get workerId(): string {
    return this.#config.workerId;
  }

  #client(): ClientOptions {
    return clientOptions(this.#config);
  }

  #log(topic: string, group: string): TopicLog<unknown> {
    const consumer = new PullConsumer({ ...this.#client(), group });
    this.#closers.push(() => consumer.close());
    return new TopicLog({ topic, producer: this.#producer!, consumer, pollMs: 1000 });
  }

  /** Joins the cluster. `url` is where this worker's HTTP API answers (others forward to it). */
  async start(url: string): Promise<void> {
    this.url = url;
    const c = this.#config;
    const onError = (err: unknown) => this.#logger.warn('cluster', { error: String(err) });
    await ensureClusterResources(this.#client(), c, { createGroups: c.autoCreateGroupEnable });
    const { failures } = await this.#registry.load(c.pluginPaths);
    for (const f of failures) this.#logger.error('plugin failed to load', { path: f.path, error: f.error });
    this.#producer = new Producer({ ...this.#client(), group: `connector-producer-${c.workerId}` });
    this.#closers.push(() => this.#producer?.close());
    const dir = join(c.storePathRootDir, 'cluster', c.workerId);
    const local = await FileStore.open<unknown>(join(dir, 'state.json'));
    const localPositions = await FileStore.open<unknown>(join(dir, 'positions.json'));
    const localOffsets = await FileStore.open<unknown>(join(dir, 'offsets.json'));
    this.#closers.push(
      () => local.close(),
      () => localPositions.close(),
      () => localOffsets.close(),
    );

    // Membership first: a second worker with this workerId must be refused before it writes.
    const clusterConsumer = new PullConsumer({
      ...this.#client(),
      group: c.clusterGroup,
      clientId: memberClientId(c.workerId, this.url),
      heartbeatMs: 5000,
    });
    this.#membership = new Membership({
      workerId: c.workerId,
      url: this.url,
      log: new TopicLog({
        topic: c.clusterTopic,
        producer: this.#producer,
        consumer: clusterConsumer,
        pollMs: 1000,
      }),
      consumer: clusterConsumer,
      heartbeatMs: c.heartbeatIntervalMs,
      timeoutMs: c.memberTimeoutMs,
      report: () => this.#report(),
      onError,
    });
    await this.#membership.join();

    const group = c.consumerGroup;
    this.#clusterConfig = new ClusterConfig({
      log: this.#log(c.configTopic, group),
      workerId: c.workerId,
      local,
      onError,
    });
    await this.#clusterConfig.open();
    for (const name of this.#clusterConfig.connectors.keys()) this.#known.add(name);
    this.#clusterConfig.on('change', () => {
      const now = this.#clusterConfig!.connectors;
      for (const name of this.#known) if (!now.has(name)) this.#removed.add(name);
      for (const name of now.keys()) {
        this.#known.add(name);
        this.#removed.delete(name);
      }
    });
    this.#positions = new ReplicatedStore<SourcePosition>(
      this.#log(c.positionTopic, group),
      localPositions,
      onError,
    );
    this.#offsets = new ReplicatedStore<string>(this.#log(c.offsetTopic, group), localOffsets, onError);
    await Promise.all([this.#positions.open(), this.#offsets.open()]);

    this.#coordinator = new Coordinator({
      workerId: c.workerId,
      config: this.#clusterConfig,
      membership: this.#membership,
      assignor: c.allocTaskStrategy as AssignorName,
      taskCount: (name, stored) => this.#taskCount(name, stored),
      start: (name, stored, epoch, tasks) => this.#startLocal(name, stored, epoch, tasks),
      reported: () => this.#membership!.beatNow(),
      logger: this.#logger,
      snapshot: async () => {
        await this.#clusterConfig!.writeSnapshot();
        await this.#positions!.writeSnapshot();
        await this.#offsets!.writeSnapshot();
      },
    });
    this.#coordinator.start();
  }

  #report(): TaskReport[] {
    const out: TaskReport[] = [];
    for (const [name, local] of this.#coordinator?.running ?? []) {
      const runtime = this.#local.get(name);
      for (const t of runtime?.tasks ?? []) {
        out.push({
          connector: name,
          task: t.id,
          state: t.status.state,
          ...(t.status.trace ? { trace: t.status.trace.slice(0, 2000) } : {}),
          generation: String(local.epoch),
        });
      }
      if (runtime?.failure && runtime.tasks.length === 0)
        for (const task of local.tasks)
          out.push({
            connector: name,
            task,
            state: 'FAILED',
            trace: runtime.failure.slice(0, 2000),
            generation: String(local.epoch),
          });
    }
    return out;
  }

  async #taskCount(_name: string, stored: StoredConnector): Promise<number> {
    const cls = this.#registry.resolve(stored.config);
    const instance = cls.create();
    const { config, issues } = validateConfig(instance.configSpec, stored.config);
    if (issues.length > 0) return 0;
    const timeout = this.#config.connectorCallTimeoutMs;
    await withTimeout('connector start', timeout, () =>
      instance.start(config, {
        name: _name,
        logger: this.#logger,
        requestTaskReconfiguration: () => {},
        raiseError: () => {},
      }),
    );
    try {
      const configs = await withTimeout('taskConfigs', timeout, () =>
        instance.taskConfigs(Number(config['tasks.num'] ?? '1')),
      );
      return configs.length;
    } finally {
      await withTimeout('connector stop', timeout, () => instance.stop()).catch(() => {});
    }
  }

  async #startLocal(
    name: string,
    stored: StoredConnector,
    epoch: bigint,
    tasks: ReadonlySet<number>,
  ): Promise<LocalTasks> {
    const positions = this.#positions!;
    const offsets = this.#offsets!;
    // Older epochs of this connector may not write after this point, on any worker.
    await Promise.all([positions.fence(name, epoch), offsets.fence(name, epoch)]);
    await Promise.all([positions.catchUp(), offsets.catchUp()]);
    const lease = () => this.#membership!.leaseValid();
    const runtime = new ConnectorRuntime(name, this.#registry.resolve(stored.config), stored.config, {
      client: this.#client(),
      ...(this.#config.autoCreateGroupEnable ? { createGroup: (g: string) => this.#createGroup(g) } : {}),
      producer: this.#producer!,
      positions: new PositionStore(positions.writer(name, epoch, lease)),
      offsets: new OffsetStore(offsets.writer(name, epoch, lease)),
      logger: this.#logger,
      callTimeoutMs: this.#config.connectorCallTimeoutMs,
      commitIntervalMs: this.#config.offsetCommitIntervalMs,
      ownedTasks: tasks,
    });
    this.#local.set(name, runtime);
    await runtime.start();
    this.#logger.info('tasks started', { connector: name, tasks: [...tasks], epoch: String(epoch) });
    let paused = false;
    return {
      epoch,
      tasks,
      setPaused: (p) => {
        if (p === paused) return;
        paused = p;
        if (p) runtime.pause();
        else runtime.resume();
      },
      stop: async () => {
        if (this.#local.get(name) === runtime) this.#local.delete(name);
        await runtime.stop();
        this.#logger.info('tasks stopped', { connector: name, tasks: [...tasks], epoch: String(epoch) });
      },
    };
  }

  #createGroup(group: string): Promise<void> {
    return createGroup(this.#client(), group);
  }

  // ---- reads: the cluster-wide view

  #stored(name: string): StoredConnector {
    const stored = this.#clusterConfig!.connectors.get(name);
    if (!stored) throw new SluiceError('NOT_FOUND', `connector ${name} not found`);
    return stored;
  }

  listConnectors(): ConnectorInfo[] {
    return [...this.#clusterConfig!.connectors.keys()].sort().map((n) => this.getConnector(n));
  }

  getConnector(name: string): ConnectorInfo {
    const stored = this.#stored(name);
    const placed = stored.enabled ? (this.#clusterConfig!.assignment?.tasks[name] ?? []) : [];
    const reports = new Map<string, TaskReport & { workerId: string }>();
    for (const r of this.#membership!.reports())
      for (const t of r.tasks)
        if (t.connector === name) reports.set(`${t.task}`, { ...t, workerId: r.workerId });
    const local = this.#local.get(name);
    const failed = [...reports.values()].find((t) => t.state === 'FAILED' && t.task < 0);
    return {
      name,
      config: stored.config,
      enabled: stored.enabled,
      type: this.#kindOf(stored.config),
      trace: local?.failure ?? failed?.trace,
      tasks: placed.map((workerId, id) => {
        const r = reports.get(String(id));
        const status: TaskStatus = r
          ? ({ state: r.state, ...(r.trace ? { trace: r.trace } : {}) } as TaskStatus)
          : ({ state: 'UNASSIGNED' } as TaskStatus);
        return { id, config: {}, status, workerId: r?.workerId ?? workerId };
      }),
    };
  }

  connectorState(name: string): 'enabled' | 'disabled' | 'removed' | 'unknown' {
    const stored = this.#clusterConfig!.connectors.get(name);
    if (stored) return stored.enabled ? 'enabled' : 'disabled';
    return this.#removed.has(name) ? 'removed' : 'unknown';
  }

  #kindOf(config: ConnectorConfig): 'source' | 'sink' | 'unknown' {
    return kindOf(this.#registry, config);
  }

  // ---- writes: appended to the config log, decided in log order

  async #check(name: string, config: ConnectorConfig): Promise<void> {
    checkConnectorName(name);
    const instance = this.#registry.resolve(config).create();
    const checked = validateConfig(instance.configSpec, config);
    const issues =
      checked.issues.length > 0
        ? checked.issues
        : await withTimeout(
            'validate',
            this.#config.connectorCallTimeoutMs,
            () => instance.validate?.(checked.config) ?? [],
          );
    if (issues.length > 0) throw new ConnectorConfigError(name, issues);
  }

  async #submit(op: ConfigOp): Promise<void> {
    await this.#clusterConfig!.submit(op);
  }

  async createConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo> {
    await this.#check(name, config);
    if (this.#clusterConfig!.connectors.has(name))
      throw new SluiceError('CONFLICT', `connector ${name} exists already`);
    await this.#submit({ type: 'create', name, config });
    return this.getConnector(name);
  }

  async updateConnector(name: string, changes: ConnectorConfig): Promise<ConnectorInfo> {
    const stored = this.#stored(name);
    await this.#check(name, { ...stored.config, ...changes });
    await this.#submit({ type: 'update', name, changes });
    return this.getConnector(name);
  }

  async setTaskCount(name: string, tasks: number): Promise<{ before: number; after: number }> {
    if (!Number.isInteger(tasks) || tasks < 1 || tasks > 1024)
      throw new SluiceError(
        'BAD_REQUEST',
        `the task count must be a whole number from 1 to 1024 (got ${tasks})`,
      );
    const before = Number(this.#stored(name).config['tasks.num'] ?? 1);
    await this.updateConnector(name, { 'tasks.num': String(tasks) });
    return { before, after: tasks };
  }

  enableConnector(name: string): Promise<void> {
    return this.#submit({ type: 'enable', name });
  }

  disableConnector(name: string): Promise<void> {
    return this.#submit({ type: 'disable', name });
  }

  removeConnector(name: string): Promise<void> {
    return this.#submit({ type: 'remove', name });
  }

  pauseConnector(name: string): Promise<void> {
    return this.#submit({ type: 'pause', name });
  }

  resumeConnector(name: string): Promise<void> {
    return this.#submit({ type: 'resume', name });
  }

  /** In a cluster a restart restarts every task of the connector (a new epoch), wherever it runs. */
  async restartConnector(
    name: string,
    opts: { includeTasks?: boolean; onlyFailed?: boolean } = {},
  ): Promise<void> {
    const info = this.getConnector(name);
    const failed = info.trace !== undefined || info.tasks.some((t) => t.status.state === 'FAILED');
    if (opts.onlyFailed && !failed) return;
    await this.#submit({ type: 'restart', name });
  }

  async restartTask(name: string, id: number): Promise<void> {
    const info = this.getConnector(name);
    if (!info.tasks.some((t) => t.id === id))
      throw new SluiceError('NOT_FOUND', `connector ${name} has no task ${id}`);
    await this.#submit({ type: 'restart', name });
  }

  async reloadPlugins(): Promise<{ loaded: string[]; failures: { path: string; error: string }[] }> {
    return this.#registry.load(this.#config.pluginPaths);
  }

  // ---- offsets

  #offsetsFor(name: string): ConnectorOffsets {
    const epoch = this.#clusterConfig!.version;
    const always = () => true;
    return new ConnectorOffsets({
      positions: new PositionStore(this.#positions!.writer(name, epoch, always)),
      offsets: new OffsetStore(this.#offsets!.writer(name, epoch, always)),
      consumer: (group) => new PullConsumer({ ...this.#client(), group }),
      logger: this.#logger,
    });
  }

  #kind(name: string): 'source' | 'sink' {
    const kind = this.#kindOf(this.#stored(name).config);
    if (kind === 'unknown')
      throw new SluiceError(
        'CONFLICT',
        `connector ${name}: its plugin is not installed, so its offsets are unknown`,
      );
    return kind;
  }

  async connectorOffsets(name: string): Promise<OffsetEntry[]> {
    await Promise.all([this.#positions!.catchUp(), this.#offsets!.catchUp()]);
    return this.#offsetsFor(name).list(name, this.#kind(name));
  }

  async #stoppedEverywhere(name: string): Promise<StoredConnector> {
    const stored = this.#stored(name);
    if (stored.enabled)
      throw new SluiceError(
        'CONFLICT',
        `connector ${name} is running: stop it first (PUT /connectors/${name}/stop), then change its offsets`,
      );
    const epoch = this.#clusterConfig!.version;
    // Tasks stopping elsewhere may still commit: fence them off first.
    await Promise.all([this.#positions!.fence(name, epoch), this.#offsets!.fence(name, epoch)]);
    await Promise.all([this.#positions!.catchUp(), this.#offsets!.catchUp()]);
    return stored;
  }

  async alterConnectorOffsets(name: string, entries: OffsetEntry[]): Promise<void> {
    await this.#stoppedEverywhere(name);
    await this.#offsetsFor(name).alter(name, this.#kind(name), entries);
  }

  async resetConnectorOffsets(name: string): Promise<void> {
    const stored = await this.#stoppedEverywhere(name);
    await this.#offsetsFor(name).reset(
      name,
      this.#kind(name),
      sinkTopics(this.#registry.resolve(stored.config).create(), stored.config),
    );
  }

  // ---- plugins and workers

  plugins(): { className: string; type: 'source' | 'sink'; version: string; plugin: string }[] {
    return listPlugins(this.#registry);
  }

  validate(className: string, config: ConnectorConfig): { spec: ConfigSpec; issues: ConfigIssue[] } {
    return validateAgainst(this.#registry, className, config);
  }

  workers(): { workerId: string; clientId: string }[] {
    return this.#membership!.members().map((m) => ({ workerId: m.workerId, clientId: m.clientId }));
  }

  /** Graceful: local tasks stop with a final commit, then others are told at once. */
  async stop(): Promise<void> {
    await this.#coordinator?.stop();
    await this.#membership?.leave();
    await this.#clusterConfig?.close();
    await this.#positions?.close();
    await this.#offsets?.close();
    for (const close of this.#closers.reverse()) await close();
  }
}
