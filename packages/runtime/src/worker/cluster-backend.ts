import { join } from 'node:path';
import type { Logger, SourcePosition } from '@sluice/connect-api';
import { Producer, PullConsumer } from '@sluice/rocketmq';
import type { AssignorName } from '../cluster/assignor.ts';
import { ClusterConfig } from '../cluster/cluster-config.ts';
import { ensureResourcesWaiting } from '../cluster/cluster-resources.ts';
import { Coordinator } from '../cluster/coordinator.ts';
import { memberClientId, type TaskReport } from '../cluster/member-records.ts';
import { Membership } from '../cluster/membership.ts';
import { ReplicatedStore } from '../cluster/replicated-store.ts';
import { TopicLog } from '../cluster/topic-log.ts';
import type { ConfigProviders } from '../config/config-providers.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { WorkerInfo } from '../herder/herder-api.ts';
import type { RuntimeView, StateBackend } from '../herder/state-backend.ts';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { ConfigOp } from '../state/config-ops.ts';
import type { StoredConnector } from '../state/stored-connector.ts';
import { FileStore } from '../stores/file-store.ts';
import { OffsetStore } from '../stores/offset-store.ts';
import { PositionStore } from '../stores/position-store.ts';
import type { RestartPlan } from '../task/connector-status.ts';
import { ClusterTasks, countFailureReports } from './cluster-tasks.ts';
import { clusterGauges, clusterWorkers } from './cluster-workers.ts';
import { ConnectorOffsets } from './connector-offsets.ts';
import { clientOptions, producerGroup } from './runtime-deps.ts';
import { restartWhereTheyRun } from './task-restart.ts';
import { ReportIndex, taskViews } from './task-views.ts';

/** Long-poll time of the state topics' tail loops. */
const STATE_LOG_POLL_MS = 1000;
/** How often the cluster group's consumer heartbeats to the broker (its consumer list). */
const CLUSTER_CONSUMER_HEARTBEAT_MS = 5000;

/**
 * The cluster's state backend: connector configs in `connector-config-topic` (an operation log
 * every worker applies in order), positions and offsets in their topics, membership from the
 * cluster group, and the coordinator running this worker's share of the tasks. Local copies live
 * under storePathRootDir/cluster/<workerId>.
 */
export class ClusterBackend implements StateBackend {
  readonly #config: WorkerConfig;
  readonly #registry: PluginRegistry;
  readonly #logger: Logger;
  readonly #closers: (() => Promise<void> | void)[] = [];
  #producer: Producer | undefined;
  #clusterConfig: ClusterConfig | undefined;
  #membership: Membership | undefined;
  #coordinator: Coordinator | undefined;
  #positions: ReplicatedStore<SourcePosition> | undefined;
  #offsets: ReplicatedStore<string> | undefined;
  #tasks: ClusterTasks | undefined;
  readonly #listeners: (() => void)[] = [];
  readonly #onFatal: (err: Error) => void;
  readonly #providers: ConfigProviders | undefined;
  readonly #reports = new ReportIndex(
    () => this.#membership!.reports(),
    () => ({ workerId: this.workerId, tasks: this.#ownReports() }),
  );
  readonly metrics: WorkerMetrics | undefined;

  constructor(
    config: WorkerConfig,
    registry: PluginRegistry,
    logger: Logger,
    /** This worker may not go on (a later process took its workerId): stop and exit. */
    onFatal: (err: Error) => void = () => {},
    metrics?: WorkerMetrics,
    providers?: ConfigProviders,
  ) {
    this.metrics = metrics;
    this.#providers = providers;
    this.#config = config;
    this.#registry = registry;
    this.#logger = logger;
    this.#onFatal = onFatal;
  }

  get workerId(): string {
    return this.#config.workerId;
  }

  get clusterId(): string {
    return this.#config.clusterGroup;
  }

  #onError = (err: unknown) => this.#logger.warn('cluster', { error: String(err) });

  /** A state topic's log, bound to its queue: waits while the broker holding it is away. */
  async #log(topic: string, consumer: PullConsumer): Promise<TopicLog<unknown>> {
    const log = new TopicLog({
      topic,
      producer: this.#producer!,
      consumer,
      pollMs: STATE_LOG_POLL_MS,
      onMoved: (err) => this.#onFatal(err),
    });
    this.#closers.push(() => log.stop());
    await log.bind((err) => this.#logger.warn('waiting for a state topic', { topic, error: String(err) }));
    return log;
  }

  #consumer(group: string, extra: { clientId?: string; heartbeatMs?: number } = {}): PullConsumer {
    const consumer = new PullConsumer({ ...clientOptions(this.#config), group, ...extra });
    this.#closers.push(() => consumer.close());
    return consumer;
  }

  async #localStore(file: string): Promise<FileStore<unknown>> {
    const store = await FileStore.open<unknown>(
      join(this.#config.storePathRootDir, 'cluster', this.workerId, file),
    );
    this.#closers.push(() => store.close());
    return store;
  }

  /** Joins the cluster. `url` is where this worker's HTTP API answers (others forward to it). */
  async start(url: string): Promise<void> {
    const c = this.#config;
    await ensureResourcesWaiting(clientOptions(this.#config), this.#config, this.#logger);
    this.#producer = new Producer({ ...clientOptions(this.#config), group: producerGroup(c.workerId) });
    this.#closers.push(() => this.#producer?.close());
    // Membership first: a second worker with this workerId must be refused before it writes.
    await this.#join(url);
    this.#clusterConfig = new ClusterConfig({
      log: await this.#log(c.configTopic, this.#consumer(c.consumerGroup)),
      workerId: c.workerId,
      local: await this.#localStore('state.json'),
      onError: this.#onError,
    });
    await this.#clusterConfig.open();
    this.#clusterConfig.on('change', () => {
      for (const l of this.#listeners) l();
    });
    for (const l of this.#listeners) l();
    await this.#openStores();
    this.#startCoordinator();
  }

  async #join(url: string): Promise<void> {
    const c = this.#config;
    const consumer = this.#consumer(c.clusterGroup, {
      clientId: memberClientId(c.workerId, url),
      heartbeatMs: CLUSTER_CONSUMER_HEARTBEAT_MS,
    });
    this.#membership = new Membership({
      workerId: c.workerId,
      url,
      log: await this.#log(c.clusterTopic, consumer),
      consumer,
      heartbeatMs: c.heartbeatIntervalMs,
      timeoutMs: c.memberTimeoutMs,
      report: () => this.#ownReports(),
      applied: () => this.#clusterConfig?.version ?? -1n,
      onError: this.#onError,
      onSuperseded: (err) => this.#onFatal(err),
    });
    await this.#membership.join();
  }

  async #openStores(): Promise<void> {
    const c = this.#config;
    this.#positions = new ReplicatedStore<SourcePosition>(
      await this.#log(c.positionTopic, this.#consumer(c.consumerGroup)),
      await this.#localStore('positions.json'),
      this.#onError,
    );
    this.#offsets = new ReplicatedStore<string>(
      await this.#log(c.offsetTopic, this.#consumer(c.consumerGroup)),
      await this.#localStore('offsets.json'),
      this.#onError,
    );
    await Promise.all([this.#positions.open(), this.#offsets.open()]);
  }

  #ownReports(): TaskReport[] {
    const failures = this.#coordinator?.countFailures() ?? new Map();
    const reports = countFailureReports(failures, (name) => this.#clusterConfig?.epochOf(name));
    return [...(this.#tasks?.report() ?? []), ...reports];
  }

  #startCoordinator(): void {
    const tasks = new ClusterTasks({
      config: this.#config,
      registry: this.#registry,
      logger: this.#logger,
      producer: this.#producer!,
      positions: this.#positions!,
      offsets: this.#offsets!,
      lease: () => this.#membership!.leaseValid(),
      ...(this.metrics ? { metrics: this.metrics } : {}),
      ...(this.#providers ? { providers: this.#providers } : {}),
    });
    this.#tasks = tasks;
    this.metrics?.observeCluster(
      clusterGauges(this.workerId, this.#membership!, this.#clusterConfig!, tasks),
    );
    this.#coordinator = new Coordinator({
      workerId: this.workerId,
      config: this.#clusterConfig!,
      membership: this.#membership!,
      assignor: this.#config.allocTaskStrategy as AssignorName,
      taskConfigs: (name, stored) => tasks.taskConfigs(name, stored),
      start: (name, stored, epoch, owned) => tasks.start(name, stored, epoch, owned),
      reported: () => this.#membership!.beatNow(),
      rebalanced: () => this.metrics?.rebalanced(),
      logger: this.#logger,
      snapshot: async () => {
        await this.#clusterConfig!.writeSnapshot();
        await this.#positions!.writeSnapshot();
        await this.#offsets!.writeSnapshot();
      },
    });
    this.#coordinator.start();
  }

  connectors(): ReadonlyMap<string, StoredConnector> {
    return this.#clusterConfig?.connectors ?? new Map();
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async submit(op: ConfigOp): Promise<void> {
    await this.#clusterConfig!.submit(op);
    // Removed means removed: this worker deletes the connector's positions and offsets (fenced
    // first, so tasks still stopping elsewhere cannot write them back), and every worker reads it.
    if (op.type === 'remove')
      await (await this.offsets(op.name, true)).forget(op.name).catch((err: unknown) =>
        this.#logger.warn('positions of a removed connector not deleted', {
          connector: op.name,
          error: String(err),
        }),
      );
  }

  /**
   * Tasks alone restart where they run (here, or asked of their worker); a restart of the
   * instance, or of a task that cannot be reached so, restarts every task: a new epoch.
   */
  async restart(name: string, plan: RestartPlan, opts: { forwarded?: boolean } = {}): Promise<void> {
    const left = plan.instance
      ? plan.tasks
      : await restartWhereTheyRun(name, plan.tasks, opts.forwarded ?? false, {
          workerId: this.workerId,
          placed: this.#clusterConfig!.assignment?.tasks[name] ?? [],
          members: this.#membership!.members(),
          local: async (id) => {
            const runtime = this.#tasks?.runtime(name);
            if (!runtime?.tasks.some((t) => t.id === id)) return false;
            await runtime.restartTask(id);
            return true;
          },
          token: this.#config.httpAuthToken,
          logger: this.#logger,
        });
    if (plan.instance || left.length > 0) await this.submit({ type: 'restart', name });
  }

  /** Tasks as placed by the last assignment, with the state their worker last reported. */
  runtime(name: string, stored: StoredConnector): RuntimeView {
    const placed = stored.target !== 'STOPPED' ? (this.#clusterConfig!.assignment?.tasks[name] ?? []) : [];
    const { heard, own } = this.#reports.of(name);
    const configs = this.#clusterConfig!.assignment?.configs?.[name] ?? [];
    const { tasks, failedTrace } = taskViews(name, placed, heard, own, configs);
    return { tasks, failure: this.#tasks?.failure(name) ?? failedTrace };
  }

  /** Admin access to a connector's positions and offsets, under the config's current version. */
  async offsets(name: string, forChange: boolean): Promise<ConnectorOffsets> {
    const positions = this.#positions!;
    const offsets = this.#offsets!;
    const epoch = this.#clusterConfig!.version;
    // Tasks stopping elsewhere may still commit: fence them off before changing anything.
    if (forChange) await Promise.all([positions.fence(name, epoch), offsets.fence(name, epoch)]);
    await Promise.all([positions.catchUp(), offsets.catchUp()]);
    return new ConnectorOffsets({
      positions: new PositionStore(positions.writer(name, epoch)),
      offsets: new OffsetStore(offsets.writer(name, epoch)),
      consumer: (group) => new PullConsumer({ ...clientOptions(this.#config), group }),
      logger: this.#logger,
    });
  }

  workers(): WorkerInfo[] {
    return clusterWorkers(this.#membership!, this.#clusterConfig);
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
