/**
 * Calls `write` with `rate` bodies per second for `ms`, in bursts every 10 ms, catching up when a
 * timer fires late so the rate holds. `make(sentAt)` builds each body. Resolves once every write
 * resolved; returns how many were sent, and how many of them at or after `countFromMs`.
 */
export async function pace(
  rate: number,
  ms: number,
  make: (sentAt: number) => Buffer,
  write: (bodies: Buffer[]) => Promise<void>,
  opts: { countFromMs?: number; maxInFlight?: number; stopped?: () => boolean } = {},
): Promise<{ sent: number; counted: number }> {
  const t0 = performance.now();
  const writes = new Set<Promise<void>>();
  let sent = 0;
  let counted = 0;
  while (performance.now() - t0 < ms && !opts.stopped?.()) {
    const now = performance.now();
    const due = Math.floor(((now - t0) / 1000) * rate) - sent;
    if (due > 0 && writes.size < (opts.maxInFlight ?? 64)) {
      const bodies = Array.from({ length: due }, () => make(now));
      const w = write(bodies).finally(() => writes.delete(w));
      writes.add(w);
      sent += due;
      if (now - t0 >= (opts.countFromMs ?? 0)) counted += due;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(writes);
  return { sent, counted };
}
