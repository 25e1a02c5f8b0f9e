import { sleep } from '../backoff.ts';
import { UsageError } from './usage-error.ts';

export interface WatchOptions {
  /** Seconds between two refreshes. */
  interval: number;
  /** Stop after this many refreshes (like top -n); without: until Ctrl-C. */
  iterations?: number | undefined;
}

/** Default seconds between two refreshes of `--watch` and `sluice top`. */
export const WATCH_INTERVAL_S = 2;

/**
 * Prints `render()` again every interval. On a terminal the screen is cleared first (a live
 * view); into a pipe a frame is printed only when it changed, so a log of it stays short. A
 * refresh that fails (a worker restarting) shows its error and the watch goes on. Ctrl-C ends
 * it at once, mid-wait, with exit 0.
 */
export async function watch(
  render: () => Promise<string>,
  out: (s: string) => void,
  opts: WatchOptions,
): Promise<number> {
  const tty = process.stdout.isTTY === true;
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    let last: string | undefined;
    for (let i = 0; opts.iterations === undefined || i < opts.iterations; i++) {
      if (i > 0) await sleep(opts.interval * 1000, stop.signal);
      if (stop.signal.aborted) break;
      const frame = await render().catch((err: Error) => `error: ${err.message}\n`);
      if (stop.signal.aborted) break;
      if (tty) out(`\x1b[H\x1b[2J${frame}`);
      else if (frame !== last) out(frame);
      last = frame;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return 0;
}

/** Parses --interval and --iterations, refusing what is not a positive number. */
export function watchOptions(opts: Record<string, unknown>): WatchOptions {
  const interval = opts.interval === undefined ? WATCH_INTERVAL_S : Number(opts.interval);
  if (!(interval > 0))
    throw new UsageError(`--interval must be a positive number of seconds, not ${opts.interval}`);
  const n = opts.iterations === undefined ? undefined : Number(opts.iterations);
  if (n !== undefined && !(Number.isInteger(n) && n > 0))
    throw new UsageError(`--iterations must be a positive whole number, not ${opts.iterations}`);
  return { interval, iterations: n };
}
