import { readdir, readFile } from 'node:fs/promises';
import { JVM_MARKER } from './java.ts';

/**
 * Pids of the JVMs on this machine that the testkit started, read from /proc like `ps`: those of
 * one session when given (see JVM_MARKER), else of this process's session.
 */
export async function testkitJvmPids(session?: string): Promise<number[]> {
  const marker = session === undefined ? JVM_MARKER : `-Dsluice.testkit=${session}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(marker)) pids.push(Number(entry));
  }
  return pids;
}
