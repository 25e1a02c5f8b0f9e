import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type KafkaOptions, useBrokers } from '@sluice/testkit';
import { callWorker, startWorkerProcess, type WorkerProcess } from './worker-process.ts';

export { until } from './worker-process.ts';

export interface Cluster {
  dir: string;
  namesrvAddr: string;
  /** Kafka's bootstrap address, when the cluster was asked for Kafka. */
  kafka: string | undefined;
  /** The Kafka Connect worker's URL, when asked for. */
  kafkaConnect: string | undefined;
  /** The brokers themselves (restarts). */
  brokers: Awaited<ReturnType<ReturnType<typeof useBrokers>['ready']>>;
  workers: Map<string, WorkerProcess>;
  start(workerId: string): Promise<WorkerProcess>;
  signal(workerId: string, sig: NodeJS.Signals): void;
  /** A JSON request to a worker's HTTP API. */
  call(
    workerId: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }>;
}

/**
 * For one test file: real brokers and worker processes (`sluice worker`) started on demand,
 * all killed after the file even when a test failed.
 */
export function useCluster(
  opts: {
    settings?: Record<string, string>;
    /** Kafka, with options (secured listeners) or without. */
    kafka?: boolean | KafkaOptions;
    /** RocketMQ with ACL 2.0 (the workers then need aclEnable and the admin's keys in settings). */
    rocketmqAcl?: boolean;
    rocketmqBrokers?: number;
    rocketmqVersion?: '5.5' | '4.9';
    /** A real Kafka Connect worker beside the Kafka (implies kafka). */
    kafkaConnect?: boolean;
  } = {},
): (() => Cluster) & {
  ready: () => Promise<Cluster>;
} {
  const brokers = useBrokers({
    kafka: typeof opts.kafka === 'object' ? opts.kafka : opts.kafka || opts.kafkaConnect ? {} : false,
    ...(opts.kafkaConnect ? { connect: true } : {}),
    rocketmq: {
      ...(opts.rocketmqBrokers ? { brokers: opts.rocketmqBrokers } : {}),
      ...(opts.rocketmqVersion ? { version: opts.rocketmqVersion } : {}),
      ...(opts.rocketmqAcl ? { acl: true } : {}),
    },
  });
  // Starts still waiting for 'started': awaited after the file, so none outlives it.
  const pending = new Set<Promise<unknown>>();
  let cluster: Cluster | undefined;
  let started!: (c: Cluster) => void;
  let failed!: (e: unknown) => void;
  const ready = new Promise<Cluster>((res, rej) => {
    started = res;
    failed = rej;
  });
  ready.catch(() => {});
  const setUp = async () => {
    const up = await brokers.ready();
    const { namesrvAddr } = up.rocketmq!;
    const dir = await mkdtemp(join(tmpdir(), 'sluice-cluster-'));
    const workers = new Map<string, WorkerProcess>();
    const start = async (workerId: string): Promise<WorkerProcess> => {
      const starting = startWorkerProcess({
        dir,
        namesrvAddr,
        workerId,
        ...(opts.settings ? { settings: opts.settings } : {}),
      });
      pending.add(starting);
      const w = await starting.finally(() => pending.delete(starting));
      workers.set(workerId, w);
      return w;
    };
    cluster = {
      dir,
      namesrvAddr,
      kafka: up.kafka?.bootstrap,
      kafkaConnect: up.connect?.url,
      brokers: up,
      workers,
      start,
      signal: (id, sig) => workers.get(id)?.process.kill(sig),
      call: async (id, method, path, body) => {
        const w = workers.get(id);
        if (!w) throw new Error(`no worker ${id}`);
        return callWorker(w, method, path, body);
      },
    };
  };
  before(async () => {
    try {
      await setUp();
      started(cluster!);
    } catch (err) {
      failed(err);
      throw err;
    }
  });
  after(async () => {
    await Promise.allSettled(pending);
    for (const w of cluster?.workers.values() ?? []) {
      w.process.kill('SIGCONT');
      w.process.kill('SIGKILL');
      await w.exited;
    }
    if (cluster) await rm(cluster.dir, { recursive: true, force: true });
  });
  const get = () => {
    if (!cluster) throw new Error('the cluster is not started');
    return cluster;
  };
  return Object.assign(get, { ready: () => ready });
}
