import { callWorker } from '../../packages/runtime/test/cluster/worker-process.ts';
import { cpuSeconds, RssSampler } from './proc.ts';

export interface WorkerRun {
  /**
   * Records per second in the steady state: from the first record seen on the other side to
   * the last. Creating the connector (config log, assignment, task start) is `firstRecordMs`.
   */
  rate: number;
  /** Records per CPU-second of the worker process (its own user + system time), same span. */
  perCpuSecond: number;
  cpuSeconds: number;
  /** From the create request to the first record on the other side. */
  firstRecordMs: number;
  peakRssMiB: number;
}

/** A worker's REST API (Sluice's or Kafka Connect's: both take the same create and delete). */
export interface RestWorker {
  url: string;
  token?: string | undefined;
  pid: number;
}

/**
 * Creates a connector on the worker and waits until `moved()` reaches `count`; then deletes it.
 * Counts the worker's CPU time over exactly that span.
 */
export async function throughWorker(
  worker: RestWorker,
  name: string,
  config: Record<string, string>,
  count: number,
  moved: () => Promise<number>,
  timeoutMs = 600_000,
): Promise<WorkerRun> {
  const pid = worker.pid;
  const rss = new RssSampler(pid, 100);
  const t0 = performance.now();
  const created = await callWorker(worker, 'POST', '/connectors', { name, config });
  if (created.status !== 201) throw new Error(`create ${name}: ${JSON.stringify(created.json)}`);
  try {
    let first: { at: number; cpu: number; moved: number } | undefined;
    for (;;) {
      const n = await moved();
      if (!first && n > 0) first = { at: performance.now(), cpu: await cpuSeconds(pid), moved: n };
      if (n >= count) break;
      if (performance.now() - t0 > timeoutMs) throw new Error(`${name}: not done after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const f = first!;
    const secs = (performance.now() - f.at) / 1000;
    const cpu = (await cpuSeconds(pid)) - f.cpu;
    return {
      rate: (count - f.moved) / secs,
      perCpuSecond: (count - f.moved) / cpu,
      cpuSeconds: cpu,
      firstRecordMs: f.at - t0,
      peakRssMiB: rss.peak,
    };
  } finally {
    rss.stop();
    await callWorker(worker, 'DELETE', `/connectors/${name}`);
  }
}
