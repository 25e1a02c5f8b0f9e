import type { ConnectorConfig } from '@sluice/connect-api';
import type { TaskReport } from '../cluster/member-records.ts';
import type { TaskInfo } from '../herder/herder-api.ts';
import type { TaskState } from '../task/state.ts';

/** What one worker said of its tasks. */
export interface WorkerReport {
  workerId: string;
  tasks: readonly TaskReport[];
}

/**
 * A connector's tasks as the cluster shows them: where the last assignment placed each, in the
 * state its worker last reported. `own` is this worker's report as of now: its tasks' states and
 * error counts are current here, where other workers' are as of their last heartbeat.
 */
export function taskViews(
  name: string,
  placed: readonly string[],
  heard: readonly WorkerReport[],
  own: WorkerReport,
  /** The task configs the leader computed for the assignment. */
  configs: readonly ConnectorConfig[] = [],
): { tasks: TaskInfo[]; failedTrace: string | undefined } {
  const reports = new Map<number, TaskReport & { workerId: string }>();
  const put = (t: TaskReport, workerId: string) => reports.set(t.task, { ...t, workerId });
  for (const r of heard)
    if (r.workerId !== own.workerId) for (const t of r.tasks) if (t.connector === name) put(t, r.workerId);
  // A task this worker still stops while its new owner runs it shows as the owner has it.
  for (const t of own.tasks)
    if (t.connector === name && (placed[t.task] === own.workerId || !reports.has(t.task)))
      put(t, own.workerId);
  const failed = [...reports.values()].find((t) => t.state === 'FAILED' && t.task < 0);
  const tasks: TaskInfo[] = placed.map((workerId, id) => {
    const r = reports.get(id);
    const state = (r?.state ?? 'UNASSIGNED') as TaskState;
    return {
      id,
      config: configs[id] ?? {},
      status: {
        state,
        ...(r?.trace ? { trace: r.trace } : {}),
        ...(r?.errors ? { errors: r.errors } : {}),
        ...(r?.restart ? { restart: r.restart } : {}),
        ...(r?.topics ? { topics: r.topics } : {}),
      },
      workerId: r?.workerId ?? workerId,
    };
  });
  return { tasks, failedTrace: failed?.trace };
}
