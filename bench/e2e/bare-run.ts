import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Endpoints } from './broker-rates.ts';
import { cpuSeconds, RssSampler } from './proc.ts';

/** What a bare-loop process is to do: Kafka → RocketMQ (kr) or back (rk). */
export interface BareJob {
  ep: Endpoints;
  direction: 'kr' | 'rk';
  from: string;
  to: string;
  count: number;
  loops: number;
}

export interface BareRun {
  rate: number;
  perCpuSecond: number;
  peakRssMiB: number;
}

/**
 * Runs a bare loop in a child process (the compiled client packages, as the worker uses) and
 * measures its CPU time over the move and its peak RSS.
 */
export async function runBare(job: BareJob): Promise<BareRun> {
  const nodeArgs = process.env.SLUICE_BENCH_BARE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(import.meta.dirname, 'bare-process.ts'), JSON.stringify(job)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const pid = child.pid!;
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<{ event: string; rate?: number }> => {
    const r = await Promise.race([lines.next(), exited.then(() => ({ done: true, value: undefined }))]);
    if (r.done) throw new Error(`bare loop (${job.direction}) exited early`);
    return JSON.parse(r.value as string);
  };
  try {
    await next();
    const rss = new RssSampler(pid, 100);
    const cpu0 = await cpuSeconds(pid);
    child.stdin!.write('go\n');
    let done = await next();
    while (done.event !== 'done') done = await next();
    const cpu = (await cpuSeconds(pid)) - cpu0;
    rss.stop();
    return { rate: done.rate!, perCpuSecond: job.count / cpu, peakRssMiB: rss.peak };
  } finally {
    // It exits by itself once done (writing a --cpu-prof profile on the way); kill it otherwise.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    if (child.exitCode === null) child.stdin!.end();
    await exited;
    clearTimeout(timer);
  }
}
