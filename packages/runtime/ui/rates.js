// Turns counters scraped every few seconds into per-second rates, with a short history each.

const KEEP = 60;

/** Rates per key: `observe(key, counter, atMs)` each scrape, `rate(key)` and `history(key)` after. */
export class Rates {
  #last = new Map();
  #history = new Map();

  observe(key, counter, atMs) {
    const last = this.#last.get(key);
    this.#last.set(key, { counter, atMs });
    if (!last || atMs <= last.atMs) return;
    // A counter that went down is a restarted worker or a moved task: count from zero again.
    const delta = counter >= last.counter ? counter - last.counter : counter;
    const points = this.#history.get(key) ?? [];
    points.push((delta * 1000) / (atMs - last.atMs));
    if (points.length > KEEP) points.shift();
    this.#history.set(key, points);
  }

  rate(key) {
    const points = this.#history.get(key);
    return points?.[points.length - 1];
  }

  history(key) {
    return this.#history.get(key) ?? [];
  }
}
