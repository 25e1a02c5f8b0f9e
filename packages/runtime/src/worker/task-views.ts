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

/**
 * Every worker's reports split by connector, built at most once per turn of the event loop: a
 * status of all connectors (`GET /connectors?expand=status`) then reads each report once instead
 * of once per connector — with 2,000 connectors that was millions of steps per request.
 */
export class ReportIndex {
  readonly #heard: () => readonly WorkerReport[];
  readonly #own: () => WorkerReport;
  #index:
    | { heard: Map<string, WorkerReport[]>; own: Map<string, WorkerReport[]>; workerId: string }
    | undefined;

  constructor(heard: () => readonly WorkerReport[], own: () => WorkerReport) {
    this.#heard = heard;
    this.#own = own;
  }

  /** The reports that name `connector`: other workers' as last heard, and this worker's own now. */
  of(connector: string): { heard: WorkerReport[]; own: WorkerReport } {
    if (!this.#index) {
      const own = this.#own();
      this.#index = { heard: byConnector(this.#heard()), own: byConnector([own]), workerId: own.workerId };
      // Fresh again after the current synchronous run: a later request sees later reports.
      queueMicrotask(() => {
        this.#index = undefined;
      });
    }
    const own = this.#index.own.get(connector)?.[0] ?? { workerId: this.#index.workerId, tasks: [] };
    return { heard: this.#index.heard.get(connector) ?? [], own };
  }
}

function byConnector(reports: readonly WorkerReport[]): Map<string, WorkerReport[]> {
  const out = new Map<string, WorkerReport[]>();
  for (const r of reports) {
    const mine = new Map<string, TaskReport[]>();
    for (const t of r.tasks) {
      const list = mine.get(t.connector);
      if (list) list.push(t);
      else mine.set(t.connector, [t]);
    }
    for (const [connector, tasks] of mine) {
      const list = out.get(connector);
      if (list) list.push({ workerId: r.workerId, tasks });
      else out.set(connector, [{ workerId: r.workerId, tasks }]);
    }
  }
  return out;
}
