import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { useBrokers } from '@sluice/testkit';

const SLUICE = join(import.meta.dirname, '../../src/cli/sluice.ts');

export interface WorkerProcess {
  workerId: string;
  url: string;
  process: ChildProcess;
  /** Logs of this worker (stderr, JSON lines). */
  log: string[];
  exited: Promise<number | null>;
}

export interface Cluster {
  dir: string;
  namesrvAddr: string;
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
export function useCluster(opts: { settings?: Record<string, string> } = {}): (() => Cluster) & {
  ready: () => Promise<Cluster>;
} {
  const brokers = useBrokers({ kafka: false });
  let cluster: Cluster | undefined;
  let started!: (c: Cluster) => void;
  let failed!: (e: unknown) => void;
  const ready = new Promise<Cluster>((res, rej) => {
    started = res;
    failed = rej;
  });
  ready.catch(() => {});
  const setUp = async () => {
    const { namesrvAddr } = (await brokers.ready()).rocketmq!;
    const dir = await mkdtemp(join(tmpdir(), 'sluice-cluster-'));
    const workers = new Map<string, WorkerProcess>();
    const start = async (workerId: string): Promise<WorkerProcess> => {
      const conf = join(dir, `${workerId}.conf`);
      const settings = {
        workerId,
        storePathRootDir: join(dir, 'store'),
        namesrvAddr,
        httpPort: '0',
        offsetCommitIntervalMs: '500',
        heartbeatIntervalMs: '1000',
        memberTimeoutMs: '6000',
        ...opts.settings,
      };
      await writeFile(
        conf,
        Object.entries(settings)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
      const child = spawn(process.execPath, ['--conditions=sluice:source', SLUICE, 'worker', conf], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const log: string[] = [];
      child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${workerId} did not start: ${log.join('')}`)),
          60_000,
        );
        createInterface({ input: child.stdout! }).on('line', (line) => {
          try {
            const e = JSON.parse(line) as { event?: string; url?: string };
            if (e.event === 'started') {
              clearTimeout(timer);
              resolve(e.url!);
            }
          } catch {}
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${workerId} exited with ${code}: ${log.join('').slice(-3000)}`));
        });
      });
      const w: WorkerProcess = { workerId, url, process: child, log, exited };
      workers.set(workerId, w);
      return w;
    };
    cluster = {
      dir,
      namesrvAddr,
      workers,
      start,
      signal: (id, sig) => workers.get(id)?.process.kill(sig),
      call: async (id, method, path, body) => {
        const w = workers.get(id);
        if (!w) throw new Error(`no worker ${id}`);
        const res = await fetch(w.url + path, {
          method,
          ...(body === undefined
            ? {}
            : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await res.text();
        let json: unknown = text;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {}
        return { status: res.status, json };
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

export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - t0;
}
