/** Per-second rates of counters read at intervals, each with its last 60 points. */
export class Rates {
  observe(key: string, counter: number, atMs: number): void;
  rate(key: string): number | undefined;
  history(key: string): number[];
}
