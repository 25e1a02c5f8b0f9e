// The reaper outlives the process that started the brokers. That process tells it, line by line
// on stdin, which process groups and directories it owns; if stdin closes without a final
// `exit` (the parent was killed, crashed or timed out) the reaper stops the groups and removes the
// directories itself, keeping their `logs/` folder, so no JVM and no data dir is ever orphaned.
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const pids = new Set<number>();
const dirs = new Set<string>();
let clean = false;

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const space = line.indexOf(' ');
  const verb = space < 0 ? line : line.slice(0, space);
  const arg = space < 0 ? '' : line.slice(space + 1);
  if (verb === 'pid') pids.add(Number(arg));
  else if (verb === 'forget') pids.delete(Number(arg));
  else if (verb === 'dir') dirs.add(arg);
  else if (verb === 'undir') dirs.delete(arg);
  else if (verb === 'exit') clean = true;
});
lines.on('close', () => {
  if (clean && pids.size === 0) process.exit(0);
  void reap();
});

// Every process we own carries this on its command line. A pid is signalled only while it still
// does: pids are reused quickly here (pid_max 32768), and a stale pid may be someone else's.
const marker = process.argv[2] ?? '';

function ours(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  if (!ours(pid)) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

async function reap(): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while ([...pids].some(ours) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids) signal(pid, 'SIGKILL');
  for (const dir of dirs) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      entries.filter((e) => e !== 'logs').map((e) => rm(join(dir, e), { recursive: true, force: true })),
    );
    process.stderr.write(
      `[testkit] the process that started the brokers is gone; logs kept in ${join(dir, 'logs')}\n`,
    );
  }
  process.exit(0);
}
