import type { Assignment } from './config-log.ts';

/** What one new assignment changed, for the log line every worker writes when it applies one. */
export interface RebalanceSummary {
  members: string[];
  /** The first member: it computes the assignments. */
  leader: string | undefined;
  /** Tasks in the cluster, and how many this worker runs. */
  tasks: number;
  here: number;
  /** This worker's tasks (`connector-task`) that are new to it, and that it gave up. */
  gained: string[];
  lost: string[];
}

function tasksOf(a: Assignment | undefined, workerId: string): Set<string> {
  const out = new Set<string>();
  for (const [connector, placed] of Object.entries(a?.tasks ?? {}))
    for (const [i, w] of placed.entries()) if (w === workerId) out.add(`${connector}-${i}`);
  return out;
}

export function rebalanceSummary(
  before: Assignment | undefined,
  after: Assignment,
  workerId: string,
): RebalanceSummary {
  const had = tasksOf(before, workerId);
  const has = tasksOf(after, workerId);
  return {
    members: after.members,
    leader: after.members[0],
    tasks: Object.values(after.tasks).reduce((n, placed) => n + placed.length, 0),
    here: has.size,
    gained: [...has].filter((t) => !had.has(t)),
    lost: [...had].filter((t) => !has.has(t)),
  };
}
