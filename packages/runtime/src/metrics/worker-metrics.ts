import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { VERSION } from '../version.ts';
import { type ClusterGauges, clusterMetrics } from './cluster-metrics.ts';
import type { BadRecordOutcome, LiveTask, TaskMetrics } from './task-metrics.ts';

const TASK = ['connector', 'task'] as const;
const STATES = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'STOPPING', 'STOPPED'] as const;
/** Records per batch: from single records to the largest batches runners make. */
const BATCH_BUCKETS = [1, 4, 16, 64, 128, 256, 512, 1024, 4096];
/** Seconds: a local broker answers in a millisecond, a struggling one in seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Kind = 'source' | 'sink';
interface Live {
  connector: string;
  task: string;
  kind: Kind;
  view: LiveTask;
}

/**
 * One worker's metrics, in its own registry (never prom-client's global one: two workers in one
 * process, as in tests, each show their own). Counters and histograms are pushed by the task
 * runners per batch; states, lag and in-flight counts are read from the live tasks when scraped.
 * The names, and the Kafka Connect metric each stands for, are listed in docs/metrics.md.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly #live = new Set<Live>();
  readonly #tasksOf = new Map<string, Set<string>>();
  readonly #cluster: ReturnType<typeof clusterMetrics>;

  readonly #c = (name: string, help: string) =>
    new Counter({ name, help, labelNames: TASK, registers: [this.registry] });
  readonly #h = (name: string, help: string, buckets: number[]) =>
    new Histogram({ name, help, labelNames: TASK, buckets, registers: [this.registry] });

  readonly #polled = this.#c('sluice_source_records_polled_total', 'Records source tasks polled');
  readonly #written = this.#c(
    'sluice_source_records_written_total',
    'Records source tasks wrote to RocketMQ (acknowledged by the broker)',
  );
  readonly #read = this.#c('sluice_sink_records_read_total', 'Records sink tasks pulled from RocketMQ');
  readonly #putRecords = this.#c('sluice_sink_records_put_total', 'Records sink tasks put (accepted by put)');
  readonly #errors = this.#c('sluice_task_record_errors_total', 'Bad records met (failed or tolerated)');
  readonly #failures = this.#c('sluice_task_record_failures_total', 'Bad records that failed their task');
  readonly #skipped = this.#c(
    'sluice_task_records_skipped_total',
    'Bad records tolerated and skipped (errors.tolerance=all)',
  );
  readonly #deadLettered = this.#c(
    'sluice_task_dead_letter_records_total',
    'Bad records written to the dead-letter topic',
  );
  readonly #restarts = this.#c('sluice_task_restarts_total', 'Task restarts (asked for or automatic)');
  readonly #sendBatch = this.#h(
    'sluice_source_send_batch_records',
    'Records per batch sent to RocketMQ',
    BATCH_BUCKETS,
  );
  readonly #sendSeconds = this.#h(
    'sluice_source_send_seconds',
    'Time from sending a batch to RocketMQ to its acknowledgement',
    LATENCY_BUCKETS,
  );
  readonly #putBatch = this.#h('sluice_sink_put_batch_records', 'Records per put', BATCH_BUCKETS);
  readonly #putSeconds = this.#h('sluice_sink_put_seconds', 'Time a put took', LATENCY_BUCKETS);
  readonly #commits = new Counter({
    name: 'sluice_offset_commits_total',
    help: 'Commits of source positions or sink offsets, by result',
    labelNames: [...TASK, 'result'],
    registers: [this.registry],
  });
  readonly #commitSeconds = this.#h(
    'sluice_offset_commit_seconds',
    'Time a commit of positions or offsets took',
    LATENCY_BUCKETS,
  );

  constructor(worker: { workerId: string; clusterId: string; mode: 'cluster' | 'standalone' }) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'sluice_worker_info',
      help: 'This worker: its id, cluster, mode and version (always 1)',
      labelNames: ['worker', 'cluster', 'mode', 'version'],
      registers: [this.registry],
    }).set({ worker: worker.workerId, cluster: worker.clusterId, mode: worker.mode, version: VERSION }, 1);
    const live = this.#live;
    new Gauge({
      name: 'sluice_task_state',
      help: 'Task state on this worker: 1 for the state it is in, 0 for the others',
      labelNames: [...TASK, 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const t of live) {
          const now = t.view.state();
          for (const s of STATES)
            this.set({ connector: t.connector, task: t.task, state: s }, s === now ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'sluice_task_records_in_flight',
      help: 'Source: records sent, not yet acknowledged. Sink: records pulled, not yet put',
      labelNames: TASK,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const t of live) this.set({ connector: t.connector, task: t.task }, t.view.inFlight());
      },
    });
    for (const kind of ['source', 'sink'] as const) lagGauge(this.registry, live, kind);
    new Gauge({
      name: 'sluice_worker_connectors',
      help: 'Connectors with a task running on this worker',
      registers: [this.registry],
      collect() {
        this.set(new Set([...live].map((t) => t.connector)).size);
      },
    });
    this.#cluster = clusterMetrics(this.registry, worker.mode === 'cluster');
  }

  /** The metrics of task `task` of `connector`, for its runner. */
  forTask(connector: string, task: number, kind: Kind): TaskMetrics {
    const labels = { connector, task: String(task) };
    const tasks = this.#tasksOf.get(connector) ?? new Set();
    this.#tasksOf.set(connector, tasks.add(labels.task));
    const [polled, written, read, putRecords] = [
      this.#polled,
      this.#written,
      this.#read,
      this.#putRecords,
    ].map((c) => c.labels(labels)) as [
      Counter.Internal,
      Counter.Internal,
      Counter.Internal,
      Counter.Internal,
    ];
    const [sendBatch, sendSeconds, putBatch, putSeconds, commitSeconds] = [
      this.#sendBatch,
      this.#sendSeconds,
      this.#putBatch,
      this.#putSeconds,
      this.#commitSeconds,
    ].map((h) => h.labels(labels));
    const outcome: Record<BadRecordOutcome, Counter.Internal> = {
      failed: this.#failures.labels(labels),
      tolerated: this.#skipped.labels(labels),
      deadLettered: this.#deadLettered.labels(labels),
    };
    const errors = this.#errors.labels(labels);
    const commitOk = this.#commits.labels({ ...labels, result: 'success' });
    const commitFailed = this.#commits.labels({ ...labels, result: 'failure' });
    let live: Live | undefined;
    return {
      polled: (n) => polled.inc(n),
      written: (n, s) => {
        written.inc(n);
        sendBatch!.observe(n);
        sendSeconds!.observe(s);
      },
      read: (n) => read.inc(n),
      put: (n, s) => {
        putRecords.inc(n);
        putBatch!.observe(n);
        putSeconds!.observe(s);
      },
      badRecord: (o) => {
        if (o !== 'deadLettered') errors.inc();
        outcome[o].inc();
      },
      committed: (s, ok) => {
        (ok ? commitOk : commitFailed).inc();
        commitSeconds!.observe(s);
      },
      track: (view) => {
        if (live) this.#live.delete(live);
        live = { ...labels, kind, view };
        this.#live.add(live);
      },
      untrack: () => {
        if (live) this.#live.delete(live);
        live = undefined;
      },
    };
  }

  /** A task was restarted (on request, or by the task healer). */
  restarted(connector: string, task: number): void {
    this.#restarts.inc({ connector, task: String(task) });
  }

  /** The connector no longer runs here (removed, or its tasks moved away): its series go. */
  forget(connector: string): void {
    this.keepTasks(connector, []);
    this.#tasksOf.delete(connector);
  }

  /** The connector runs only tasks `ids` here now (reconfigured): the others' series go. */
  keepTasks(connector: string, ids: readonly number[]): void {
    const tasks = this.#tasksOf.get(connector) ?? new Set<string>();
    const keep = new Set(ids.map(String));
    for (const task of [...tasks].filter((t) => !keep.has(t))) {
      tasks.delete(task);
      const labels = { connector, task };
      for (const m of [
        this.#polled,
        this.#written,
        this.#read,
        this.#putRecords,
        this.#errors,
        this.#failures,
        this.#skipped,
        this.#deadLettered,
        this.#restarts,
      ])
        m.remove(labels);
      for (const h of [
        this.#sendBatch,
        this.#sendSeconds,
        this.#putBatch,
        this.#putSeconds,
        this.#commitSeconds,
      ])
        h.remove(labels);
      for (const result of ['success', 'failure']) this.#commits.remove({ ...labels, result });
    }
  }

  /** A cluster worker's membership and assignment, read when scraped. */
  observeCluster(gauges: ClusterGauges): void {
    this.#cluster.observe(gauges);
  }

  /** A new assignment was applied here. */
  rebalanced(): void {
    this.#cluster.rebalanced();
  }

  /** One HTTP request answered: its route pattern (never the URL), status and time. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.#cluster.httpRequest(method, route, status, seconds);
  }

  /** Prometheus' text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

function lagGauge(registry: Registry, live: ReadonlySet<Live>, kind: Kind): void {
  const label = kind === 'source' ? 'partition' : 'queue';
  new Gauge({
    name: `sluice_${kind}_lag_records`,
    help:
      kind === 'source'
        ? 'Records in a source partition not yet polled (Kafka: end offset − next offset to read)'
        : 'Records in a RocketMQ queue not yet committed (max offset − committed offset)',
    labelNames: [...TASK, label],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of live) {
        if (t.kind !== kind) continue;
        for (const [where, n] of t.view.lag() ?? [])
          this.set({ connector: t.connector, task: t.task, [label]: where }, n);
      }
    },
  });
}
