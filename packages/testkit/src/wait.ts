import { readFileSync } from 'node:fs';
import { TestkitError } from './errors.ts';
import type { JavaProcess } from './java.ts';

/**
 * Retries `check` until it returns true, failing early if the process it waits for has exited
 * (a broker that died at start should fail fast with its log path, not after the full timeout).
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; process?: JavaProcess },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  let delay = 50;
  for (;;) {
    if (opts.process && !opts.process.running) {
      throw new TestkitError(
        `${what}: ${opts.process.name} exited during start (${opts.process.exitReason}); see ${opts.process.logFile}${logTail(opts.process.logFile)}`,
      );
    }
    try {
      if (await check()) {
        opts.process?.markReady();
        return;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const log = opts.process ? `; see ${opts.process.logFile}` : '';
      throw new TestkitError(`${what}: not ready within ${opts.timeoutMs} ms${log}`, { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}

/** The end of a log, so that CI output shows why a process died even after its temp dir is gone. */
function logTail(file: string, lines = 15): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    if (!text) return '';
    return `\n--- last lines of ${file} ---\n${text.split('\n').slice(-lines).join('\n')}`;
  } catch {
    return '';
  }
}
