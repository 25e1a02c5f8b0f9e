import type { ConfigIssue, Connector, ConnectorConfig, Logger, SourcePosition } from '@sluice/connect-api';
import type { Producer } from '@sluice/rocketmq';
import type { LocalTasks } from '../cluster/coordinator.ts';
import type { TaskReport } from '../cluster/member-records.ts';
import type { ReplicatedStore } from '../cluster/replicated-store.ts';
import type { ConfigProviders } from '../config/config-providers.ts';
import { keepReferences, withoutSecrets } from '../config/config-references.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { ConnectorConfigError, checkConfig } from '../herder/check-config.ts';
import { secretFreeLogger } from '../logging/secret-free-logger.ts';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { StoredConnector } from '../state/stored-connector.ts';
import { OffsetStore } from '../stores/offset-store.ts';
import { PositionStore } from '../stores/position-store.ts';
import { traceOf } from '../task/state.ts';
import { withTimeout } from '../task/timeout.ts';
import { ConnectorRuntime } from './connector-runtime.ts';
import { runtimeDeps } from './runtime-deps.ts';

/** Longest trace a heartbeat carries per task: heartbeats stay small. */
export const MAX_REPORTED_TRACE = 2000;

export interface ClusterTasksOptions {
  config: WorkerConfig;
  registry: PluginRegistry;
  logger: Logger;
  producer: Producer;
  positions: ReplicatedStore<SourcePosition>;
  offsets: ReplicatedStore<string>;
  /** Whether this worker may still act as a member (its lease). */
  lease: () => boolean;
  metrics?: WorkerMetrics;
  /** Resolve config references when a connector starts; what is stored and reported keeps them. */
  providers?: ConfigProviders;
}

/** Connectors whose task configs failed on this worker (it leads): shown as their failure. */
export function countFailureReports(
  failures: ReadonlyMap<string, string>,
  epochOf: (name: string) => bigint | undefined,
): TaskReport[] {
  return [...failures].map(([connector, trace]) => ({
    connector,
    task: -1,
    state: 'FAILED',
    trace: trace.slice(0, MAX_REPORTED_TRACE),
    generation: String(epochOf(connector) ?? -1n),
  }));
}

/**
 * This worker's share of the cluster's tasks, as the coordinator asks for it: how many tasks a
 * connector has, starting and stopping one connector's local tasks under an epoch, and the
 * report of their states that goes out with every heartbeat.
 */
export class ClusterTasks {
  readonly #o: ClusterTasksOptions;
  readonly #local = new Map<
    string,
    // No runtime yet while the tasks start: reported all the same (see `report`).
    { runtime?: ConnectorRuntime; epoch: bigint; tasks: ReadonlySet<number>; secrets?: Map<string, string> }
  >();

  constructor(opts: ClusterTasksOptions) {
    this.#o = opts;
  }

  /** The newest epoch any local connector's tasks run under (0 when none run here). */
  get epoch(): bigint {
    let max = 0n;
    for (const { epoch } of this.#local.values()) if (epoch > max) max = epoch;
    return max;
  }

  /** The connector runtime running here, if any. */
  runtime(name: string): ConnectorRuntime | undefined {
    return this.#local.get(name)?.runtime;
  }

  /** A new instance of the stored config's class, and the config checked (references resolved). */
  #check(stored: StoredConnector) {
    const cls = this.#o.registry.resolve(stored.config);
    const instance = cls.create();
    const { providers, config: worker } = this.#o;
    const opts = { instance, ...(providers ? { providers } : {}) };
    return checkConfig(cls, stored.config, worker.connectorCallTimeoutMs, opts).then((c) => ({
      cls,
      instance,
      ...c,
    }));
  }

  /** Why the connector running here failed, if it did, with resolved secrets cut out. */
  failure(name: string): string | undefined {
    const local = this.#local.get(name);
    const failure = local?.runtime?.failure;
    return failure && withoutSecrets(failure, local.secrets ?? new Map());
  }

  /**
   * The task configs the connector hands out (the leader asks before assigning), as they go into
   * the config log: with the references of the connector's config, never what they resolved to.
   */
  async taskConfigs(name: string, stored: StoredConnector): Promise<ConnectorConfig[]> {
    const { instance, config, issues, secrets } = await this.#check(stored);
    try {
      const configs = await this.#taskConfigsOf(name, instance, config, issues, secrets);
      return configs.map((c) => keepReferences(stored.config, secrets, c));
    } catch (err) {
      // The leader shows this failure to everyone: a secret quoted in it is cut out.
      const clean = new Error(withoutSecrets(err instanceof Error ? err.message : String(err), secrets));
      clean.stack = withoutSecrets(traceOf(err), secrets);
      throw clean;
    }
  }

  async #taskConfigsOf(
    name: string,
    instance: Connector,
    config: ConnectorConfig,
    issues: readonly ConfigIssue[],
    secrets: ReadonlyMap<string, string>,
  ): Promise<ConnectorConfig[]> {
    const timeout = this.#o.config.connectorCallTimeoutMs;
    // Its tasks could not start either: a failure the leader shows, not a connector of no tasks.
    if (issues.length > 0) throw new ConnectorConfigError(name, issues);
    await withTimeout('connector start', timeout, () =>
      instance.start(config, {
        name,
        logger: secretFreeLogger(this.#o.logger, secrets),
        requestTaskReconfiguration: () => {},
        raiseError: () => {},
      }),
    );
    try {
      const configs = await withTimeout('taskConfigs', timeout, () =>
        instance.taskConfigs(Number(config['tasks.num'] ?? '1')),
      );
      return configs;
    } finally {
      await withTimeout('connector stop', timeout, () => instance.stop()).catch(() => {});
    }
  }

  /** Fences older epochs, reads the stores to the end, and checks the config with a new instance. */
  async #prepare(name: string, stored: StoredConnector, epoch: bigint) {
    const { positions, offsets } = this.#o;
    // Older epochs of this connector may not write after this point, on any worker.
    await Promise.all([positions.fence(name, epoch), offsets.fence(name, epoch)]);
    await Promise.all([positions.catchUp(), offsets.catchUp()]);
    return this.#check(stored);
  }

  /** Starts this worker's tasks of a connector under `epoch`, after fencing every older one. */
  async start(
    name: string,
    stored: StoredConnector,
    epoch: bigint,
    tasks: ReadonlySet<number>,
  ): Promise<LocalTasks> {
    const { positions, offsets } = this.#o;
    // Listed from the first moment: a heartbeat sent while these tasks start names them.
    const starting = { epoch, tasks };
    this.#local.set(name, starting);
    const { cls, instance, config, issues, secrets } = await this.#prepare(name, stored, epoch).catch(
      (err: unknown) => {
        if (this.#local.get(name) === starting) this.#local.delete(name);
        throw err;
      },
    );
    const runtime = new ConnectorRuntime(
      name,
      cls,
      config,
      runtimeDeps(this.#o.config, {
        producer: this.#o.producer,
        positions: new PositionStore(positions.writer(name, epoch, this.#o.lease)),
        offsets: new OffsetStore(offsets.writer(name, epoch, this.#o.lease)),
        logger: secretFreeLogger(this.#o.logger, secrets),
        ownedTasks: tasks,
        mayWrite: this.#o.lease,
        epoch,
        ...(this.#o.metrics ? { metrics: this.#o.metrics } : {}),
      }),
      instance,
    );
    if (stored.target !== 'STOPPED') runtime.setTarget(stored.target);
    this.#local.set(name, { runtime, epoch, tasks, secrets });
    if (issues.length > 0) runtime.fail(new ConnectorConfigError(name, issues));
    else await runtime.start();
    this.#o.logger.info('tasks started', { connector: name, tasks: [...tasks], epoch: String(epoch) });
    return {
      epoch,
      tasks,
      setTarget: (target) => {
        if (target !== 'STOPPED' && target !== runtime.target) runtime.setTarget(target);
      },
      stop: async () => {
        // Still reported (STOPPING, under the old epoch) until stopped: the next owner waits.
        await runtime.stop();
        if (this.#local.get(name)?.runtime === runtime) this.#local.delete(name);
        this.#o.logger.info('tasks stopped', { connector: name, tasks: [...tasks], epoch: String(epoch) });
      },
    };
  }

  /** What goes out with each heartbeat: every local task's state, under its epoch. */
  report(): TaskReport[] {
    const out: TaskReport[] = [];
    for (const [name, { runtime, epoch, tasks, secrets }] of this.#local) {
      const generation = String(epoch);
      const made = new Map((runtime?.tasks ?? []).map((t) => [t.id, t.status]));
      for (const task of new Set([...tasks, ...made.keys()])) {
        const status = made.get(task);
        // Not made yet: starting (UNASSIGNED), or FAILED with the connector's failure.
        const state = status?.state ?? (runtime?.failure ? 'FAILED' : 'UNASSIGNED');
        // Heartbeats go through a topic: a secret quoted in a trace is cut out first.
        const full = status ? status.trace : runtime?.failure;
        const trace = full && withoutSecrets(full, secrets ?? new Map()).slice(0, MAX_REPORTED_TRACE);
        out.push({
          connector: name,
          task,
          state,
          ...(trace ? { trace } : {}),
          ...(status?.errors ? { errors: status.errors } : {}),
          ...(status?.restart ? { restart: status.restart } : {}),
          ...(status?.topics ? { topics: status.topics } : {}),
          generation,
        });
      }
    }
    return out;
  }
}
