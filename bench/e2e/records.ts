// The bench's records: `size` bytes, the first ones the record's number (or its send time, for
// latency runs) as decimal text, the rest filler.

export function body(size: number, n: number | string): Buffer {
  const b = Buffer.alloc(size, 'x');
  b.write(`${n};`);
  return b;
}

/** The number (or time) a body starts with. */
export function stamp(b: Buffer): number {
  return Number(b.subarray(0, b.indexOf(59)).toString());
}

export function rate(n: number, sinceMs: number): number {
  return n / ((performance.now() - sinceMs) / 1000);
}

/** A plain client's rate and the CPU time it took per record, in this process. */
export interface ClientRun {
  perSecond: number;
  /** Microseconds of this process's CPU (user + system) per record. */
  cpuUs: number;
}

export function clientRun(n: number, sinceMs: number, cpuSince: NodeJS.CpuUsage): ClientRun {
  const c = process.cpuUsage(cpuSince);
  return { perSecond: rate(n, sinceMs), cpuUs: (c.user + c.system) / n };
}
