import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkerProcess } from '../../packages/runtime/test/cluster/worker-process.ts';
import { rssMiB } from './proc.ts';

export interface Startup {
  /** Spawn to the first 200 from /health (the worker joined its cluster and serves). */
  readyMs: number[];
  idleRssMiB: number;
}

/** Starts `trials` fresh cluster workers (each a new workerId) one after the other. */
export async function measureStartup(namesrvAddr: string, trials: number): Promise<Startup> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-startup-'));
  const readyMs: number[] = [];
  let idle = 0;
  try {
    for (let i = 0; i < trials; i++) {
      const t0 = performance.now();
      const w = await startWorkerProcess({ dir, namesrvAddr, workerId: `startup-${i}`, built: true });
      try {
        // The worker printed "started" once it joined; /health must agree.
        const res = await fetch(`${w.url}/health`);
        if (res.status !== 200) throw new Error(`/health answered ${res.status} after start`);
        readyMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 1000));
        idle = await rssMiB(w.process.pid!);
      } finally {
        w.process.kill('SIGTERM');
        await w.exited;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { readyMs, idleRssMiB: idle };
}
