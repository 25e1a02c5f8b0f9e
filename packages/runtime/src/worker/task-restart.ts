import type { Logger } from '@sluice/connect-api';
import type { Member } from '../cluster/member-records.ts';

/** The header of a task restart one worker passes to the worker running the task. */
export const FORWARDED_HEADER = 'x-sluice-forwarded';

/** How long a forwarded restart may take before the cluster-wide restart is used instead. */
const FORWARD_TIMEOUT_MS = 10_000;

export interface TaskRestartDeps {
  workerId: string;
  /** Who runs each task of the connector, by task id (the last assignment). */
  placed: readonly string[];
  members: readonly Member[];
  /** Restarts a task running here; false when it does not run here. */
  local: (id: number) => Promise<boolean>;
  token: string | undefined;
  logger: Logger;
}

/**
 * Restarts tasks where they run, the others untouched, as Kafka Connect does: here, or by
 * asking the worker that runs each (once: a forwarded request is never passed on). Returns the
 * tasks it could not restart so (owner unknown or not answering), for the caller to restart the
 * safe way: every task of the connector, under a new epoch.
 */
export async function restartWhereTheyRun(
  connector: string,
  tasks: readonly number[],
  forwarded: boolean,
  deps: TaskRestartDeps,
): Promise<number[]> {
  const left: number[] = [];
  for (const id of tasks) {
    const owner = deps.placed[id];
    if (owner === deps.workerId && (await deps.local(id))) continue;
    const url = deps.members.find((m) => m.workerId === owner)?.url;
    if (forwarded || owner === undefined || owner === deps.workerId || !url) {
      left.push(id);
      continue;
    }
    const ok = await fetch(`${url}/connectors/${encodeURIComponent(connector)}/tasks/${id}/restart`, {
      method: 'POST',
      headers: {
        [FORWARDED_HEADER]: 'true',
        ...(deps.token ? { authorization: `Bearer ${deps.token}` } : {}),
      },
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    }).then(
      (r) => r.ok,
      (err: unknown) => {
        deps.logger.warn('task restart not passed to its worker', {
          connector,
          task: id,
          owner,
          error: String(err),
        });
        return false;
      },
    );
    if (!ok) left.push(id);
  }
  return left;
}
