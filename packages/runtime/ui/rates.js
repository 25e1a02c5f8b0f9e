// Turns counters read every few seconds into per-second rates, with a short history each.

const KEEP = 60;

/**
 * Rates of the records each task moved, summed per task, connector and worker. Each series
 * (worker, connector, task) gets its own rate, and sums are made of rates, never of counters: when
 * one task of a sum moves away or restarts, the others' rates stand and no spike appears.
 */
export class Rates {
  #last = new Map();
  #now = new Map();
  #history = new Map();
  #readings = 0;

  /** One reading: `[{worker, connector, task, value}]` with every series' counter, at `atMs`. */
  read(series, atMs) {
    this.#readings++;
    const last = this.#last;
    this.#last = new Map();
    const groups = new Map();
    for (const s of series) {
      const key = `${s.worker}\u0000${s.connector}\u0000${s.task}`;
      this.#last.set(key, { value: s.value, atMs });
      const before = last.get(key);
      // New here (a task that just moved in): no rate yet, not a zero.
      if (!before || atMs <= before.atMs) continue;
      // A counter that went down started again from zero (its worker restarted).
      const delta = s.value >= before.value ? s.value - before.value : s.value;
      const rate = (delta * 1000) / (atMs - before.atMs);
      for (const g of [`worker:${s.worker}`, `connector:${s.connector}`, `task:${s.connector}/${s.task}`])
        groups.set(g, (groups.get(g) ?? 0) + rate);
    }
    this.#now = groups;
    for (const [g, rate] of groups) {
      const points = this.#history.get(g) ?? [];
      points.push(rate);
      if (points.length > KEEP) points.shift();
      this.#history.set(g, points);
    }
    // Gone from every worker (deleted, or its worker left): its history goes too.
    for (const g of this.#history.keys()) if (!groups.has(g)) this.#history.delete(g);
  }

  /**
   * The latest rate of `worker:ID`, `connector:NAME` or `task:NAME/ID`: undefined before two
   * readings; 0 for what moved nothing in the last interval (a counter appears at its first record).
   */
  rate(key) {
    return this.#now.get(key) ?? (this.#readings >= 2 ? 0 : undefined);
  }

  history(key) {
    return this.#history.get(key) ?? [];
  }
}
