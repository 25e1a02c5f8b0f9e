// Where a worker's memory is at its highest RSS: preloaded into the worker with
//   SLUICE_BENCH_WORKER_NODE_ARGS="--import ./bench/e2e/memory-breakdown.ts" node … bench/e2e.ts …
// it samples every 100 ms and, each time RSS reaches a new high, writes one JSON line to
// /tmp/sluice-memory-<pid>.jsonl: RSS split into file-backed pages (the node binary, libraries)
// and anonymous memory, and the anonymous part into V8's heap (by space), Buffers and the rest
// (malloc arenas, thread stacks, compiler zones). The last line is the peak.
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';

const out = `/tmp/sluice-memory-${process.pid}.jsonl`;
const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
let peak = 0;
setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss <= peak) return;
  peak = m.rss;
  const smaps = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(smaps)?.[1] ?? 0) * 1024;
  const anonymous = kb('Anonymous');
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .map((s) => [s.space_name, mib(s.space_size)] as const)
      .filter(([, v]) => v > 0),
  );
  const line = {
    rss: mib(m.rss),
    fileBacked: mib(kb('Rss') - anonymous),
    anonymous: mib(anonymous),
    heapCommitted: mib(m.heapTotal),
    heapUsed: mib(m.heapUsed),
    buffers: mib(m.arrayBuffers),
    rest: mib(anonymous - m.heapTotal - m.arrayBuffers),
    spaces,
  };
  appendFileSync(out, `${JSON.stringify(line)}\n`);
}, 100).unref();
