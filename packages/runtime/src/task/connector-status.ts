import type { TargetState } from '../state/stored-connector.ts';
import type { TaskState } from './state.ts';

/** A connector's state, as its status route shows it (Kafka Connect's names). */
export type ConnectorState = 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED';

/**
 * What a connector is doing, from what it should do and what its parts report: stopped when its
 * target says so, failed when its instance failed, paused when its target is (or a task reports
 * it is), running otherwise. Task failures show on the tasks, as in Kafka Connect.
 */
export function connectorState(
  target: TargetState,
  failure: string | undefined,
  tasks: readonly { state: TaskState }[],
): ConnectorState {
  if (target === 'STOPPED') return 'STOPPED';
  if (failure !== undefined) return 'FAILED';
  if (target === 'PAUSED' || tasks.some((t) => t.state === 'PAUSED')) return 'PAUSED';
  return 'RUNNING';
}

/** What a restart request restarts: the connector instance, and which tasks. */
export interface RestartPlan {
  instance: boolean;
  tasks: number[];
}

/**
 * Kafka Connect's restart semantics: the instance always, or only when it failed (`onlyFailed`);
 * with `includeTasks`, every task, or only the failed ones.
 */
export function restartPlan(
  failure: string | undefined,
  tasks: readonly { id: number; state: TaskState }[],
  opts: { includeTasks?: boolean; onlyFailed?: boolean },
): RestartPlan {
  const pick = (failed: boolean) => !opts.onlyFailed || failed;
  return {
    instance: pick(failure !== undefined),
    tasks: opts.includeTasks ? tasks.filter((t) => pick(t.state === 'FAILED')).map((t) => t.id) : [],
  };
}
