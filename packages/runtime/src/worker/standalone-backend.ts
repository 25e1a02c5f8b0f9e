import { join } from 'node:path';
import type { Logger, SourcePosition } from '@sluice/connect-api';
import { Producer, PullConsumer } from '@sluice/rocketmq';
import type { ConfigProviders } from '../config/config-providers.ts';
import { keepReferences, withoutSecrets } from '../config/config-references.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { SluiceError } from '../errors.ts';
import { ConnectorConfigError, checkConfig } from '../herder/check-config.ts';
import type { WorkerInfo } from '../herder/herder-api.ts';
import type { RuntimeView, StateBackend } from '../herder/state-backend.ts';
import { secretFreeLogger } from '../logging/secret-free-logger.ts';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { applyOp, type ConfigOp } from '../state/config-ops.ts';
import type { StoredConnector } from '../state/stored-connector.ts';
import { ConfigStore } from '../stores/config-store.ts';
import { FileStore } from '../stores/file-store.ts';
import { OffsetStore } from '../stores/offset-store.ts';
import { PositionStore } from '../stores/position-store.ts';
import type { RestartPlan } from '../task/connector-status.ts';
import { traceOf } from '../task/state.ts';
import { ConnectorOffsets } from './connector-offsets.ts';
import { ConnectorRuntime } from './connector-runtime.ts';
import { clientOptions, producerGroup, runtimeDeps } from './runtime-deps.ts';

/**
 * The standalone worker's state backend: connectors in `storePathRootDir/standalone/connectors.json`
 * (with positions and offsets beside it), every task in this process. An operation is applied,
 * its connector brought to its new target state, and then stored; operations run one at a time.
 */
export class StandaloneBackend implements StateBackend {
  readonly #config: WorkerConfig;
  readonly #registry: PluginRegistry;
  readonly #logger: Logger;
  readonly #runtimes = new Map<string, ConnectorRuntime>();
  /** Connectors whose runtime could not even be made (their plugin is gone): why. */
  readonly #broken = new Map<string, string>();
  #state = new Map<string, StoredConnector>();
  #configs: ConfigStore | undefined;
  #offsets: ConnectorOffsets | undefined;
  #producer: Producer | undefined;
  #positionStore: PositionStore | undefined;
  #offsetStore: OffsetStore | undefined;
  #stores: FileStore<unknown>[] = [];
  #writes: Promise<unknown> = Promise.resolve();
  readonly #listeners: (() => void)[] = [];

  readonly #metrics: WorkerMetrics | undefined;
  readonly #providers: ConfigProviders | undefined;
  /** What each running connector's references resolved to: cut out of what is shown. */
  readonly #secrets = new Map<string, Map<string, string>>();

  constructor(
    config: WorkerConfig,
    registry: PluginRegistry,
    logger: Logger,
    metrics?: WorkerMetrics,
    providers?: ConfigProviders,
  ) {
    this.#metrics = metrics;
    this.#providers = providers;
    this.#config = config;
    this.#registry = registry;
    this.#logger = logger;
  }

  get workerId(): string {
    return this.#config.workerId;
  }

  readonly clusterId = 'standalone';

  /** The running connectors of this process. */
  get runtimes(): ReadonlyMap<string, ConnectorRuntime> {
    return this.#runtimes;
  }

  async open(): Promise<void> {
    const dir = join(this.#config.storePathRootDir, 'standalone');
    const positions = await FileStore.open<SourcePosition>(join(dir, 'positions.json'));
    const offsets = await FileStore.open<string>(join(dir, 'offsets.json'));
    const connectors = await FileStore.open<StoredConnector>(join(dir, 'connectors.json'));
    this.#stores = [positions, offsets, connectors] as FileStore<unknown>[];
    this.#positionStore = new PositionStore(positions);
    this.#offsetStore = new OffsetStore(offsets);
    this.#configs = new ConfigStore(connectors);
    this.#state = new Map(this.#configs.list());
    const client = clientOptions(this.#config);
    this.#offsets = new ConnectorOffsets({
      positions: this.#positionStore,
      offsets: this.#offsetStore,
      consumer: (group) => new PullConsumer({ ...client, group }),
      logger: this.#logger,
    });
    this.#producer = new Producer({ ...client, group: producerGroup(this.#config.workerId) });
    this.#notify();
  }

  connectors(): ReadonlyMap<string, StoredConnector> {
    return this.#state;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  #notify(): void {
    for (const l of this.#listeners) l();
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#writes.then(op, op);
    this.#writes = next.catch(() => {});
    return next;
  }

  submit(op: ConfigOp): Promise<void> {
    return this.#serial(async () => {
      const next = new Map(this.#state);
      const outcome = applyOp(next, op);
      if (!outcome.ok) throw new SluiceError(outcome.code, outcome.message);
      const after = next.get(op.name);
      await this.#reconcile(
        op.name,
        after,
        op.type === 'create' || op.type === 'update' || op.type === 'replace',
      );
      if (after) await this.#configs!.put(op.name, after);
      else await this.#configs!.remove(op.name);
      // Removed means removed: no positions or offsets for a later connector of the name to find.
      if (op.type === 'remove') await this.#offsets!.forget(op.name);
      this.#state = next;
      this.#notify();
    });
  }

  /** Brings one connector's runtime to what is stored for it; `fresh`: its config changed. */
  async #reconcile(name: string, stored: StoredConnector | undefined, fresh: boolean): Promise<void> {
    if (!stored || stored.target === 'STOPPED') return this.#halt(name);
    const current = this.#runtimes.get(name);
    if (!current || fresh) {
      await this.#halt(name);
      await this.#run(name, stored);
    }
    this.#runtimes.get(name)?.setTarget(stored.target);
  }

  /**
   * Starts the connectors stored by an earlier run in their target state, except those named in
   * `skip` (given again at start: their new config wins).
   */
  async resumeStored(skip: ReadonlySet<string> = new Set()): Promise<void> {
    for (const [name, stored] of this.#state)
      if (!skip.has(name)) await this.#serial(() => this.#reconcile(name, stored, false));
  }

  restart(name: string, plan: RestartPlan): Promise<void> {
    return this.#serial(async () => {
      const runtime = this.#runtimes.get(name);
      if (!runtime) return this.#reconcile(name, this.#state.get(name), true);
      if (plan.instance) await runtime.restartInstance();
      for (const id of plan.tasks) await runtime.restartTask(id);
    });
  }

  runtime(name: string): RuntimeView {
    const runtime = this.#runtimes.get(name);
    const secrets = this.#secrets.get(name) ?? new Map<string, string>();
    const raw = this.#state.get(name)?.config ?? {};
    const failure = runtime?.failure ?? this.#broken.get(name);
    return {
      failure: failure && withoutSecrets(failure, secrets),
      tasks: (runtime?.tasks ?? []).map((t) => ({
        id: t.id,
        config: keepReferences(raw, secrets, runtime?.taskConfigs[t.id] ?? {}),
        status: t.status.trace ? { ...t.status, trace: withoutSecrets(t.status.trace, secrets) } : t.status,
        workerId: this.workerId,
      })),
    };
  }

  async offsets(): Promise<ConnectorOffsets> {
    return this.#offsets!;
  }

  workers(): WorkerInfo[] {
    return [{ workerId: this.workerId, clientId: `${this.workerId}@standalone` }];
  }

  /** Checks the config with this worker's plugins and starts it; what fails shows in its status. */
  async #run(name: string, stored: StoredConnector): Promise<void> {
    this.#broken.delete(name);
    const raw = stored.config;
    let runtime: ConnectorRuntime;
    try {
      const cls = this.#registry.resolve(raw);
      const instance = cls.create();
      const providers = this.#providers;
      const timeout = this.#config.connectorCallTimeoutMs;
      const checked = await checkConfig(cls, raw, timeout, { instance, ...(providers ? { providers } : {}) });
      const { config, issues } = checked;
      this.#secrets.set(name, checked.secrets);
      runtime = new ConnectorRuntime(
        name,
        cls,
        config,
        runtimeDeps(this.#config, {
          producer: this.#producer!,
          positions: this.#positionStore!,
          offsets: this.#offsetStore!,
          logger: secretFreeLogger(this.#logger, checked.secrets),
          ...(this.#metrics ? { metrics: this.#metrics } : {}),
        }),
        instance,
      );
      this.#runtimes.set(name, runtime);
      // Before the tasks exist: a paused connector's tasks come up paused.
      if (stored.target !== 'STOPPED') runtime.setTarget(stored.target);
      if (issues.length > 0) {
        runtime.fail(new ConnectorConfigError(name, issues));
        return;
      }
    } catch (err) {
      this.#broken.set(name, traceOf(err));
      this.#logger.error('connector could not start', { connector: name, error: String(err) });
      return;
    }
    await runtime.start();
    this.#logger.info('connector started', {
      connector: name,
      class: runtime.connectorClass.name,
      tasks: runtime.tasks.length,
    });
  }

  async #halt(name: string): Promise<void> {
    const runtime = this.#runtimes.get(name);
    this.#broken.delete(name);
    // Listed (its tasks STOPPING) until it has stopped.
    await runtime?.stop();
    if (this.#runtimes.get(name) === runtime) {
      this.#runtimes.delete(name);
      this.#secrets.delete(name);
    }
  }

  async stop(): Promise<void> {
    await this.#writes;
    await Promise.all([...this.#runtimes.values()].map((c) => c.stop()));
    this.#producer?.close();
    await Promise.all(this.#stores.map((s) => s.close()));
  }
}
