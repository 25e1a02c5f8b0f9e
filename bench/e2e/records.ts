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
