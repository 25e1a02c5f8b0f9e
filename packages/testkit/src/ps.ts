import { readdir, readFile } from 'node:fs/promises';
import { JVM_MARKER } from './java.ts';

/** Pids of every JVM on this machine that the testkit started (any run), read from /proc like `ps`. */
export async function testkitJvmPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(JVM_MARKER)) pids.push(Number(entry));
  }
  return pids;
}
