import type { ConnectorConfig, Logger } from '@sluice/connect-api';
import { workerConfigProviders } from '../config/config-providers.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { Herder, herderOptions } from '../herder/herder.ts';
import { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { StoredConnector } from '../state/stored-connector.ts';
import type { ConnectorRuntime } from './connector-runtime.ts';
import { StandaloneBackend } from './standalone-backend.ts';

/**
 * One worker with file-backed stores under `storePathRootDir/standalone` (positions, offsets,
 * connector configs and their target states) and no cluster topics; data still flows through
 * RocketMQ. The herder over the standalone backend.
 */
export class StandaloneWorker extends Herder {
  readonly #backend: StandaloneBackend;
  /** This worker's metrics (GET /metrics). */
  readonly metrics: WorkerMetrics;

  constructor(config: WorkerConfig, registry: PluginRegistry, logger: Logger) {
    const metrics = new WorkerMetrics({
      workerId: config.workerId,
      clusterId: 'standalone',
      mode: 'standalone',
    });
    const providers = workerConfigProviders(config);
    const backend = new StandaloneBackend(config, registry, logger, metrics, providers);
    super(backend, herderOptions(config, registry, logger, providers));
    this.#backend = backend;
    this.metrics = metrics;
  }

  /** The connectors running in this process. */
  get connectors(): ReadonlyMap<string, ConnectorRuntime> {
    return this.#backend.runtimes;
  }

  get storedConnectors(): [string, StoredConnector][] {
    return [...this.#backend.connectors()].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  async start(): Promise<void> {
    await this.#backend.open();
    await this.loadPlugins();
  }

  /** Starts the stored connectors in their target states, except those in `skip`. */
  resumeStored(skip: ReadonlySet<string> = new Set()): Promise<void> {
    return this.#backend.resumeStored(skip);
  }

  /** Creates a connector and returns its runtime (for tests and `sluice standalone`). */
  async addConnector(name: string, config: ConnectorConfig): Promise<ConnectorRuntime> {
    await this.createConnector(name, config);
    return this.#backend.runtimes.get(name)!;
  }

  stop(): Promise<void> {
    return this.#backend.stop();
  }
}
