import { SluiceError } from '../../src/errors.ts';
import type { WorkerInfo } from '../../src/herder/herder-api.ts';
import type { RuntimeView, StateBackend } from '../../src/herder/state-backend.ts';
import { applyOp, type ConfigOp } from '../../src/state/config-ops.ts';
import type { StoredConnector } from '../../src/state/stored-connector.ts';
import type { RestartPlan } from '../../src/task/connector-status.ts';
import type { TaskState } from '../../src/task/state.ts';
import type { ConnectorOffsets } from '../../src/worker/connector-offsets.ts';

/**
 * A state backend for the herder's pure parts: operations applied with the real `applyOp` to a
 * map, tasks faked from `tasks.num`, restarts and offset calls recorded. No broker, no task.
 */
export class MemoryBackend implements StateBackend {
  readonly workerId = 'mem-1';
  readonly clusterId = 'memory';
  readonly state = new Map<string, StoredConnector>();
  readonly submitted: ConfigOp[] = [];
  readonly restarts: { name: string; plan: RestartPlan }[] = [];
  readonly offsetCalls: { name: string; forChange: boolean }[] = [];
  /** Per connector: the failure its instance reports and the state of each task. */
  readonly health = new Map<string, { failure?: string; states?: TaskState[] }>();
  readonly #listeners: (() => void)[] = [];

  connectors(): ReadonlyMap<string, StoredConnector> {
    return this.state;
  }

  async submit(op: ConfigOp): Promise<void> {
    const outcome = applyOp(this.state, op);
    if (!outcome.ok) throw new SluiceError(outcome.code, outcome.message);
    this.submitted.push(op);
    for (const l of this.#listeners) l();
  }

  runtime(name: string, stored: StoredConnector): RuntimeView {
    const h = this.health.get(name) ?? {};
    const count = stored.target === 'STOPPED' ? 0 : Number(stored.config['tasks.num'] ?? 1);
    return {
      failure: h.failure,
      tasks: Array.from({ length: count }, (_, id) => ({
        id,
        config: {},
        status: { state: h.states?.[id] ?? (stored.target === 'PAUSED' ? 'PAUSED' : 'RUNNING') },
        workerId: this.workerId,
      })),
    };
  }

  async restart(name: string, plan: RestartPlan): Promise<void> {
    this.restarts.push({ name, plan });
  }

  async offsets(name: string, forChange: boolean): Promise<ConnectorOffsets> {
    this.offsetCalls.push({ name, forChange });
    return {
      list: async () => [],
      alter: async () => {},
      reset: async () => {},
    } as unknown as ConnectorOffsets;
  }

  workers(): WorkerInfo[] {
    return [{ workerId: this.workerId, clientId: `${this.workerId}@memory` }];
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }
}
