import { createHash } from 'node:crypto';

// Round-robin (the seed's default) balances exactly but moves many tasks when a worker comes or
// goes; consistent hashing on a permanent task id moves only about 1/n of them and balances
// approximately. Both are pure functions of sorted inputs: every worker computes the same answer.

/** A task of a connector: its permanent id is `${connector}/${task}`. */
export interface TaskRef {
  connector: string;
  task: number;
}

export function taskId(t: TaskRef): string {
  return `${t.connector}/${t.task}`;
}

export type AssignorName = 'round-robin' | 'consistent-hash';
export const ASSIGNORS: readonly AssignorName[] = ['round-robin', 'consistent-hash'];

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortedWorkers(workers: readonly string[]): string[] {
  return [...new Set(workers)].sort(byString);
}

function sortedTasks(tasks: readonly TaskRef[]): TaskRef[] {
  const unique = new Map(tasks.map((t) => [taskId(t), t]));
  return [...unique.values()].sort((a, b) => byString(a.connector, b.connector) || a.task - b.task);
}

export function roundRobin(workers: readonly string[], tasks: readonly TaskRef[]): Map<string, string> {
  const ws = sortedWorkers(workers);
  const out = new Map<string, string>();
  if (ws.length === 0) return out;
  for (const [i, t] of sortedTasks(tasks).entries()) out.set(taskId(t), ws[i % ws.length]!);
  return out;
}

function hash32(s: string): number {
  return createHash('md5').update(s).digest().readUInt32BE(0);
}

export function consistentHash(
  workers: readonly string[],
  tasks: readonly TaskRef[],
  opts: { virtualNodes?: number } = {},
): Map<string, string> {
  const ws = sortedWorkers(workers);
  const out = new Map<string, string>();
  if (ws.length === 0) return out;
  const ring: [number, string][] = [];
  for (const w of ws)
    for (let v = 0; v < (opts.virtualNodes ?? 100); v++) ring.push([hash32(`${w}#${v}`), w]);
  ring.sort((a, b) => a[0] - b[0] || byString(a[1], b[1]));
  for (const t of sortedTasks(tasks)) {
    const h = hash32(taskId(t));
    let lo = 0;
    let hi = ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ring[mid]![0] < h) lo = mid + 1;
      else hi = mid;
    }
    out.set(taskId(t), ring[lo % ring.length]![1]);
  }
  return out;
}

export function assign(
  name: AssignorName,
  workers: readonly string[],
  tasks: readonly TaskRef[],
): Map<string, string> {
  if (name === 'round-robin') return roundRobin(workers, tasks);
  if (name === 'consistent-hash') return consistentHash(workers, tasks);
  throw new Error(`unknown task assignor "${name as string}" (known: ${ASSIGNORS.join(', ')})`);
}
