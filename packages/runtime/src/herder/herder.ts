import type { ConfigSpec, ConnectorConfig, Logger } from '@sluice/connect-api';
import type { ConfigProviders } from '../config/config-providers.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { MAX_TASKS } from '../connector/validate-config.ts';
import { SluiceError } from '../errors.ts';
import type { ConnectorClass, PluginRegistry } from '../plugins/plugin-registry.ts';
import { type ConfigOp, withChanges } from '../state/config-ops.ts';
import { isEnabled, revisionOf, type StoredConnector, type TargetState } from '../state/stored-connector.ts';
import { type RestartPlan, restartPlan } from '../task/connector-status.ts';
import type { OffsetEntry } from '../worker/connector-offsets.ts';
import { activeTopics } from './active-topics.ts';
import { ConnectorConfigError, checkConnectorName } from './check-config.ts';
import { changesOver, withoutNameKeys } from './connector-input.ts';
import type { ConnectorInfo, PluginInfo, WorkerApi, WorkerInfo } from './herder-api.ts';
import { HerderOffsets } from './herder-offsets.ts';
import { HerderPlugins } from './herder-plugins.ts';
import type { StateBackend } from './state-backend.ts';

export interface HerderOptions {
  registry: PluginRegistry;
  logger: Logger;
  /** Bound on every call into connector code the herder makes (validate). */
  callTimeoutMs: number;
  pluginPaths: readonly string[];
  /** Resolve config references for checks (never for what is stored). */
  providers?: ConfigProviders;
}

/** The herder's options from a worker's config: the same in both modes. */
export function herderOptions(
  config: WorkerConfig,
  registry: PluginRegistry,
  logger: Logger,
  providers?: ConfigProviders,
): HerderOptions {
  const { connectorCallTimeoutMs: callTimeoutMs, pluginPaths } = config;
  return { registry, logger, callTimeoutMs, pluginPaths, ...(providers ? { providers } : {}) };
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

  readonly #offsets: HerderOffsets;
  readonly #plugins: HerderPlugins;

  constructor(backend: StateBackend, opts: HerderOptions) {
    this.#backend = backend;
    this.#o = opts;
    this.#offsets = new HerderOffsets(backend, opts.registry);
    this.#plugins = new HerderPlugins(opts.registry, opts.callTimeoutMs, opts.providers);
    backend.onChange(() => this.#track());
  }

  get workerId(): string {
    return this.#backend.workerId;
  }

  get clusterId(): string {
    return this.#backend.clusterId;
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
    const cls = this.#classOf(stored.config);
    return {
      name,
      config: stored.config,
      target: stored.target,
      enabled: isEnabled(stored),
      type: cls?.kind ?? 'unknown',
      version: cls?.version,
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
    const fields = this.#classOf(config)?.spec.fields ?? [];
    return new Set(
      fields.filter((f) => f.type === 'password').flatMap((f) => [f.name, ...(f.aliases ?? [])]),
    );
  }

  /** The installed class a config names, if any (a connector whose plugin is gone has none). */
  #classOf(config: ConnectorConfig): ConnectorClass | undefined {
    try {
      return this.#o.registry.resolve(config);
    } catch {
      return undefined;
    }
  }

  /** The spec of the class a config names; none (only the runtime's keys) when it is unknown. */
  #specOf(config: ConnectorConfig): ConfigSpec {
    return this.#classOf(config)?.spec ?? { fields: [] };
  }

  // ---- writes

  /** Throws what starting this config would throw, with every problem named. */
  async #check(name: string, config: ConnectorConfig): Promise<void> {
    checkConnectorName(name);
    const issues = await this.#plugins.issuesOf(config);
    if (issues.length > 0) throw new ConnectorConfigError(name, issues);
  }

  #submit(op: ConfigOp): Promise<void> {
    return this.#backend.submit(op);
  }

  async createConnector(
    name: string,
    given: ConnectorConfig,
    opts: { target?: TargetState } = {},
  ): Promise<ConnectorInfo> {
    const config = withoutNameKeys(name, given);
    await this.#check(name, config);
    if (this.#backend.connectors().has(name))
      throw new SluiceError('CONFLICT', `connector ${name} exists already`);
    await this.#submit({ type: 'create', name, config, ...(opts.target ? { target: opts.target } : {}) });
    return this.getConnector(name);
  }

  async updateConnector(name: string, given: ConnectorConfig): Promise<ConnectorInfo> {
    const stored = this.#stored(name);
    const asked = withoutNameKeys(name, given);
    const changes = changesOver(this.#specOf({ ...stored.config, ...asked }), stored.config, asked);
    await this.#check(name, withChanges(stored.config, changes));
    // Applied only onto what was checked: a change that came first makes this one a 409.
    await this.#submit({ type: 'update', name, changes, expect: revisionOf(stored) });
    return this.getConnector(name);
  }

  async replaceConnector(name: string, given: ConnectorConfig): Promise<ConnectorInfo> {
    const stored = this.#stored(name);
    const config = withoutNameKeys(name, given);
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
    const stored = this.#stored(name).config;
    const before = Number(stored['tasks.num'] ?? stored['tasks.max'] ?? 1);
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

  async stopConnector(name: string): Promise<void> {
    if (this.#stored(name).target === 'STOPPED') return;
    await this.#submit({ type: 'disable', name }).catch((err: unknown) => {
      // Stopped by another request meanwhile: what was asked holds.
      if (this.#backend.connectors().get(name)?.target !== 'STOPPED') throw err;
    });
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
  ): Promise<RestartPlan> {
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
    return plan;
  }

  async restartTask(name: string, id: number, opts: { forwarded?: boolean } = {}): Promise<void> {
    const stored = this.#stored(name);
    if (!isEnabled(stored)) throw new SluiceError('CONFLICT', `connector ${name} is stopped`);
    if (!this.#backend.runtime(name, stored).tasks.some((t) => t.id === id))
      throw new SluiceError('NOT_FOUND', `connector ${name} has no task ${id}`);
    await this.#backend.restart(name, { instance: false, tasks: [id] }, opts);
  }

  connectorTopics(name: string): string[] {
    const stored = this.#stored(name);
    return activeTopics(stored, this.#backend.runtime(name, stored).tasks);
  }

  async resetConnectorTopics(name: string): Promise<void> {
    this.#stored(name);
    await this.#submit({ type: 'reset-topics', name, at: Date.now() });
  }

  // ---- offsets (herder-offsets.ts)

  connectorOffsets(name: string): Promise<OffsetEntry[]> {
    return this.#offsets.list(name, this.#stored(name));
  }

  alterConnectorOffsets(name: string, entries: OffsetEntry[]): Promise<void> {
    return this.#offsets.alter(name, this.#stored(name), entries);
  }

  resetConnectorOffsets(name: string): Promise<void> {
    return this.#offsets.reset(name, this.#stored(name));
  }

  // ---- plugins and workers

  plugins(): PluginInfo[] {
    return this.#plugins.plugins();
  }

  validate(className: string, config: ConnectorConfig) {
    return this.#plugins.validate(className, config);
  }

  pluginSpec(className: string): ConfigSpec {
    return this.#plugins.pluginSpec(className);
  }

  sameClass(a: string, b: string): boolean {
    return this.#plugins.sameClass(a, b);
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
