import type { ConfigIssue, ConfigSpec, ConnectorConfig, Logger } from '@sluice/connect-api';
import type { WorkerConfig } from '../config/worker-config.ts';
import { MAX_TASKS } from '../connector/validate-config.ts';
import { SluiceError } from '../errors.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { ConfigOp } from '../state/config-ops.ts';
import { isEnabled, revisionOf, type StoredConnector } from '../state/stored-connector.ts';
import { restartPlan } from '../task/connector-status.ts';
import type { OffsetEntry } from '../worker/connector-offsets.ts';
import { sinkTopics } from '../worker/runtime-deps.ts';
import { ConnectorConfigError, checkConfig, checkConnectorName } from './check-config.ts';
import type { ConnectorInfo, PluginInfo, WorkerApi, WorkerInfo } from './herder-api.ts';
import type { StateBackend } from './state-backend.ts';

export interface HerderOptions {
  registry: PluginRegistry;
  logger: Logger;
  /** Bound on every call into connector code the herder makes (validate). */
  callTimeoutMs: number;
  pluginPaths: readonly string[];
}

/** The herder's options from a worker's config: the same in both modes. */
export function herderOptions(config: WorkerConfig, registry: PluginRegistry, logger: Logger): HerderOptions {
  return { registry, logger, callTimeoutMs: config.connectorCallTimeoutMs, pluginPaths: config.pluginPaths };
}

/**
 * The one brain of a worker, standalone or in a cluster: it checks every request (names,
 * configs, task counts, target states, offsets only while stopped), turns it into an operation
 * for its state backend, and builds what the API shows. Where connectors are kept and how their
 * tasks run is the backend's business.
 */
export class Herder implements WorkerApi {
  readonly #backend: StateBackend;
  readonly #o: HerderOptions;
  readonly #known = new Set<string>();
  readonly #removed = new Set<string>();

  constructor(backend: StateBackend, opts: HerderOptions) {
    this.#backend = backend;
    this.#o = opts;
    backend.onChange(() => this.#track());
  }

  get workerId(): string {
    return this.#backend.workerId;
  }

  /** Remembers connectors removed since this worker started: the seed's status says "remove". */
  #track(): void {
    const now = this.#backend.connectors();
    for (const name of this.#known) if (!now.has(name)) this.#removed.add(name);
    for (const name of now.keys()) {
      this.#known.add(name);
      this.#removed.delete(name);
    }
  }

  #stored(name: string): StoredConnector {
    const stored = this.#backend.connectors().get(name);
    if (!stored) throw new SluiceError('NOT_FOUND', `connector ${name} not found`);
    return stored;
  }

  // ---- reads

  listConnectors(): ConnectorInfo[] {
    return [...this.#backend.connectors().keys()].sort().map((n) => this.getConnector(n));
  }

  getConnector(name: string): ConnectorInfo {
    const stored = this.#stored(name);
    const { tasks, failure } = this.#backend.runtime(name, stored);
    return {
      name,
      config: stored.config,
      target: stored.target,
      enabled: isEnabled(stored),
      type: this.#kindOf(stored.config),
      trace: failure,
      tasks,
    };
  }

  connectorState(name: string): 'enabled' | 'disabled' | 'removed' | 'unknown' {
    const stored = this.#backend.connectors().get(name);
    if (stored) return isEnabled(stored) ? 'enabled' : 'disabled';
    return this.#removed.has(name) ? 'removed' : 'unknown';
  }

  secretKeys(config: ConnectorConfig): ReadonlySet<string> {
    try {
      const spec = this.#o.registry.resolve(config).spec;
      return new Set(
        spec.fields.filter((f) => f.type === 'password').flatMap((f) => [f.name, ...(f.aliases ?? [])]),
      );
    } catch {
      return new Set();
    }
  }

  #kindOf(config: ConnectorConfig): 'source' | 'sink' | 'unknown' {
    try {
      return this.#o.registry.resolve(config).kind;
    } catch {
      return 'unknown';
    }
  }

  // ---- writes

  /** Throws what starting this config would throw, with every problem named. */
  async #check(name: string, config: ConnectorConfig): Promise<void> {
    checkConnectorName(name);
    const { issues } = await checkConfig(this.#o.registry.resolve(config), config, this.#o.callTimeoutMs);
    if (issues.length > 0) throw new ConnectorConfigError(name, issues);
  }

  #submit(op: ConfigOp): Promise<void> {
    return this.#backend.submit(op);
  }

  async createConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo> {
    await this.#check(name, config);
    if (this.#backend.connectors().has(name))
      throw new SluiceError('CONFLICT', `connector ${name} exists already`);
    await this.#submit({ type: 'create', name, config });
    return this.getConnector(name);
  }

  async updateConnector(name: string, changes: ConnectorConfig): Promise<ConnectorInfo> {
    const stored = this.#stored(name);
    await this.#check(name, { ...stored.config, ...changes });
    // Applied only onto what was checked: a change that came first makes this one a 409.
    await this.#submit({ type: 'update', name, changes, expect: revisionOf(stored) });
    return this.getConnector(name);
  }

  async replaceConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo> {
    const stored = this.#stored(name);
    await this.#check(name, config);
    await this.#submit({ type: 'replace', name, config, expect: revisionOf(stored) });
    return this.getConnector(name);
  }

  async setTaskCount(name: string, tasks: number): Promise<{ before: number; after: number }> {
    if (!Number.isInteger(tasks) || tasks < 1 || tasks > MAX_TASKS)
      throw new SluiceError(
        'BAD_REQUEST',
        `the task count must be a whole number from 1 to ${MAX_TASKS} (got ${tasks})`,
      );
    const before = Number(this.#stored(name).config['tasks.num'] ?? 1);
    await this.updateConnector(name, { 'tasks.num': String(tasks) });
    return { before, after: tasks };
  }

  removeConnector(name: string): Promise<void> {
    return this.#submit({ type: 'remove', name });
  }

  enableConnector(name: string): Promise<void> {
    return this.#submit({ type: 'enable', name });
  }

  disableConnector(name: string): Promise<void> {
    return this.#submit({ type: 'disable', name });
  }

  pauseConnector(name: string): Promise<void> {
    return this.#submit({ type: 'pause', name });
  }

  resumeConnector(name: string): Promise<void> {
    return this.#submit({ type: 'resume', name });
  }

  async restartConnector(
    name: string,
    opts: { includeTasks?: boolean; onlyFailed?: boolean } = {},
  ): Promise<void> {
    const stored = this.#stored(name);
    if (!isEnabled(stored))
      throw new SluiceError('CONFLICT', `connector ${name} is stopped; resume it instead`);
    const { tasks, failure } = this.#backend.runtime(name, stored);
    const plan = restartPlan(
      failure,
      tasks.map((t) => ({ id: t.id, state: t.status.state })),
      opts,
    );
    if (plan.instance || plan.tasks.length > 0) await this.#backend.restart(name, plan);
  }

  async restartTask(name: string, id: number): Promise<void> {
    const stored = this.#stored(name);
    if (!isEnabled(stored)) throw new SluiceError('CONFLICT', `connector ${name} is stopped`);
    if (!this.#backend.runtime(name, stored).tasks.some((t) => t.id === id))
      throw new SluiceError('NOT_FOUND', `connector ${name} has no task ${id}`);
    await this.#backend.restart(name, { instance: false, tasks: [id] });
  }

  // ---- offsets

  #offsetKind(name: string, config: ConnectorConfig): 'source' | 'sink' {
    const kind = this.#kindOf(config);
    if (kind === 'unknown')
      throw new SluiceError(
        'CONFLICT',
        `connector ${name}: its plugin is not installed, so its offsets are unknown`,
      );
    return kind;
  }

  /** A running task would overwrite a change with its next commit. */
  #stoppedForOffsets(name: string): StoredConnector {
    const stored = this.#stored(name);
    if (isEnabled(stored))
      throw new SluiceError(
        'CONFLICT',
        `connector ${name} is running: stop it first (PUT /connectors/${name}/stop), then change its offsets`,
      );
    return stored;
  }

  async connectorOffsets(name: string): Promise<OffsetEntry[]> {
    const kind = this.#offsetKind(name, this.#stored(name).config);
    return (await this.#backend.offsets(name, false)).list(name, kind);
  }

  async alterConnectorOffsets(name: string, entries: OffsetEntry[]): Promise<void> {
    const stored = this.#stoppedForOffsets(name);
    const kind = this.#offsetKind(name, stored.config);
    await (await this.#backend.offsets(name, true)).alter(name, kind, entries);
  }

  async resetConnectorOffsets(name: string): Promise<void> {
    const stored = this.#stoppedForOffsets(name);
    const kind = this.#offsetKind(name, stored.config);
    const topics = sinkTopics(this.#o.registry.resolve(stored.config).create(), stored.config);
    await (await this.#backend.offsets(name, true)).reset(name, kind, topics);
  }

  // ---- plugins and workers

  plugins(): PluginInfo[] {
    return this.#o.registry.classes.map((c) => ({
      className: c.name,
      type: c.kind,
      version: c.version,
      plugin: c.plugin,
    }));
  }

  async validate(
    className: string,
    config: ConnectorConfig,
  ): Promise<{ spec: ConfigSpec; issues: ConfigIssue[] }> {
    const cls = this.#o.registry.get(className);
    return { spec: cls.spec, issues: (await checkConfig(cls, config, this.#o.callTimeoutMs)).issues };
  }

  async reloadPlugins(): Promise<{ loaded: string[]; failures: { path: string; error: string }[] }> {
    return this.#o.registry.load(this.#o.pluginPaths);
  }

  /** Loads the plugin paths at start; a plugin that fails is logged and skipped. */
  protected async loadPlugins(): Promise<void> {
    const { failures } = await this.reloadPlugins();
    for (const f of failures) this.#o.logger.error('plugin failed to load', { path: f.path, error: f.error });
  }

  workers(): WorkerInfo[] {
    return this.#backend.workers();
  }
}
