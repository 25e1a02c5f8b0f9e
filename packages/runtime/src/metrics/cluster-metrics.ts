import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What a cluster worker shows of its membership and assignment, read when metrics are scraped. */
export interface ClusterGauges {
  /** The epoch of the assignment this worker runs (0 before its first). */
  generation(): number;
  leader(): boolean;
  /** Each live member's seconds since its last heartbeat, as this worker heard it. */
  heartbeatAges(): ReadonlyMap<string, number>;
  /** Records of the config log this worker has not applied yet. */
  configLogLag(): number;
}

const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/**
 * The worker-level series: rebalances and membership (a cluster worker's only: a standalone one
 * has none to show), HTTP requests.
 */
export function clusterMetrics(registry: Registry, inCluster: boolean) {
  let gauges: ClusterGauges | undefined;
  const membership = inCluster ? [registry] : [];
  const rebalances = new Counter({
    name: 'sluice_worker_rebalances_total',
    help: 'New assignments applied here that moved tasks (each logged as a rebalance)',
    registers: membership,
  });
  new Gauge({
    name: 'sluice_worker_assignment_generation',
    help: 'The newest epoch the tasks on this worker run under (0 when none run here)',
    registers: membership,
    collect() {
      if (gauges) this.set(gauges.generation());
    },
  });
  new Gauge({
    name: 'sluice_worker_leader',
    help: '1 when this worker is the leader (computes assignments), else 0',
    registers: membership,
    collect() {
      if (gauges) this.set(gauges.leader() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sluice_worker_heartbeat_age_seconds',
    help: 'Seconds since each live member last heartbeated, as this worker heard it',
    labelNames: ['member'],
    registers: membership,
    collect() {
      this.reset();
      for (const [member, age] of gauges?.heartbeatAges() ?? []) this.set({ member }, age);
    },
  });
  new Gauge({
    name: 'sluice_worker_config_log_lag_records',
    help: 'Records of the connector config log not yet applied by this worker',
    registers: membership,
    collect() {
      if (gauges) this.set(gauges.configLogLag());
    },
  });
  const requests = new Counter({
    name: 'sluice_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'sluice_http_request_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  return {
    observe(g: ClusterGauges): void {
      gauges = g;
    },
    rebalanced(): void {
      rebalances.inc();
    },
    httpRequest(method: string, route: string, status: number, s: number): void {
      requests.inc({ method, route, status: String(status) });
      seconds.observe({ method, route }, s);
    },
  };
}
