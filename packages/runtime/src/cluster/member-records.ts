import type { TaskStatus } from '../task/state.ts';

// What the cluster topic carries: heartbeats and goodbyes, and the task reports in heartbeats.

export interface Member {
  workerId: string;
  /** Where its HTTP API answers. */
  url: string;
  clientId: string;
}

/** What a worker reports about the tasks it runs, with every heartbeat. */
export interface TaskReport {
  connector: string;
  task: number;
  state: string;
  trace?: string;
  generation: string;
  /** Bad records tolerated and the pending automatic restart, as in the task's status. */
  errors?: TaskStatus['errors'];
  restart?: TaskStatus['restart'];
  /** Its active topics, with when it last used each (ms). */
  topics?: TaskStatus['topics'];
}

export type ClusterRecord =
  | {
      kind: 'alive';
      workerId: string;
      url: string;
      clientId: string;
      seq?: number;
      /** This process's random id: two processes with one workerId are told apart by it. */
      instance?: string;
      /** Log offset of this process's first heartbeat, once it read it back: when it joined. */
      joinedAt?: string;
      tasks: TaskReport[];
      /** The config-log offset this worker had applied when it made the report (see coordinator). */
      applied?: string;
    }
  | { kind: 'leave'; workerId: string; clientId: string; instance?: string };

/** A live worker's last task report, and how far it had applied the config log then. */
export interface ReportedTasks {
  workerId: string;
  tasks: TaskReport[];
  /** Undefined from workers too old to say. */
  applied?: bigint;
  /** Milliseconds since this worker last read its heartbeat. */
  heardMs?: number;
}

/** `workerId@url`: any worker can reach any other from the consumer list alone. */
export function memberClientId(workerId: string, url: string): string {
  return `${workerId}@${url}`;
}
