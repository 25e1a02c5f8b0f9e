import { readFile } from 'node:fs/promises';

// What a process costs, read from /proc (Linux): its own CPU time and resident memory, not the
// brokers' that share the machine.

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86-64

/** User + system CPU seconds the process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; keeps every sample with its time. */
export class RssSampler {
  readonly samples: { atMs: number; rssMiB: number }[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #t0 = performance.now();

  constructor(pid: number, everyMs: number) {
    const sample = () =>
      void rssMiB(pid).then(
        (rss) => this.samples.push({ atMs: performance.now() - this.#t0, rssMiB: rss }),
        () => {},
      );
    sample();
    this.#timer = setInterval(sample, everyMs);
  }

  get peak(): number {
    return Math.max(0, ...this.samples.map((s) => s.rssMiB));
  }

  /** Mean RSS of the samples taken between `fromMs` and `toMs` after the start. */
  mean(fromMs: number, toMs: number): number {
    const in_ = this.samples.filter((s) => s.atMs >= fromMs && s.atMs < toMs);
    return in_.reduce((a, s) => a + s.rssMiB, 0) / Math.max(1, in_.length);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
