import type { Logger } from '@sluice/connect-api';
import { workerConfigProviders } from '../config/config-providers.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { Herder, herderOptions } from '../herder/herder.ts';
import { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { ClusterBackend } from './cluster-backend.ts';

/**
 * A worker of a cluster: the herder over the cluster backend. Connector configs, positions and
 * offsets live in RocketMQ topics, membership comes from the cluster group, and the coordinator
 * runs this worker's share of the tasks. Any worker takes every write.
 */
export class DistributedWorker extends Herder {
  readonly #backend: ClusterBackend;
  /** Where this worker's HTTP API answers; set by `start`. */
  url = '';
  /** This worker's metrics (GET /metrics). */
  readonly metrics: WorkerMetrics;

  constructor(
    config: WorkerConfig,
    registry: PluginRegistry,
    logger: Logger,
    /** Called when this worker may not go on (a later process took its workerId). */
    onFatal?: (err: Error) => void,
  ) {
    const metrics = new WorkerMetrics({
      workerId: config.workerId,
      clusterId: config.clusterGroup,
      mode: 'cluster',
    });
    const providers = workerConfigProviders(config);
    const backend = new ClusterBackend(config, registry, logger, onFatal, metrics, providers);
    super(backend, herderOptions(config, registry, logger, providers));
    this.#backend = backend;
    this.metrics = metrics;
  }

  /** Joins the cluster. `url` is where this worker's HTTP API answers (others forward to it). */
  async start(url: string): Promise<void> {
    this.url = url;
    await this.loadPlugins();
    await this.#backend.start(url);
  }

  /** Graceful: local tasks stop with a final commit, then others are told at once. */
  stop(): Promise<void> {
    return this.#backend.stop();
  }
}
