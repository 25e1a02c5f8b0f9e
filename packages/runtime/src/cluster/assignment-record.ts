import type { ConnectorConfig } from '@sluice/connect-api';

// Both sides of an assignment record. The placement (members, every connector's workers) is
// written whole every time: it decides who runs what and each connector's epoch, so a reader
// never has to trust that it saw an earlier record. The task configs — most of a record's bytes,
// and only ever shown (GET …/tasks), never run — go only for the connectors whose configs
// changed. With 2,000 connectors a whole record was 1.1 MiB, written at every change.

/** Connector name → the worker id of each task, by task index. */
export interface Assignment {
  members: string[];
  tasks: Record<string, string[]>;
  /** Task configs as the leader computed them, by connector (what GET …/tasks shows anywhere). */
  configs?: Record<string, ConnectorConfig[]>;
}

/** What an assignment record holds besides its writer. */
export interface AssignmentBody {
  /** The placement; `configs` only in records of workers from before `configChanges`. */
  assignment: Assignment;
  /** Task configs of the connectors whose configs differ from the assignment before. */
  configChanges?: Record<string, ConnectorConfig[]>;
}

/**
 * The record the leader writes to move from `current` to `next`; undefined when nothing changed.
 * The leader asks twice a second: the current assignment's parts and each connector's task
 * configs are compared by their JSON, made once per object — none of them is changed in place (a
 * change is a new object: the leader's cache, a record read back), and re-serialising 2,000
 * connectors' configs at every tick was megabytes of garbage a second on an idle leader.
 */
export function assignmentChange(
  current: Assignment | undefined,
  next: Assignment,
): AssignmentBody | undefined {
  const configChanges: Record<string, ConnectorConfig[]> = {};
  for (const [name, configs] of Object.entries(next.configs ?? {})) {
    const before = current?.configs?.[name];
    if (configs !== before && (!before || jsonOf(configs) !== jsonOf(before))) configChanges[name] = configs;
  }
  const samePlacement =
    current !== undefined &&
    jsonOf(current.members) === JSON.stringify(next.members) &&
    jsonOf(current.tasks) === JSON.stringify(next.tasks);
  if (samePlacement && Object.keys(configChanges).length === 0) return undefined;
  return { assignment: { members: next.members, tasks: next.tasks }, configChanges };
}

/** The whole assignment after a record, given the one before it. */
export function assignmentAfter(before: Assignment | undefined, body: AssignmentBody): Assignment {
  const { members, tasks, configs: whole } = body.assignment;
  if (whole || !body.configChanges) return body.assignment;
  const configs: Record<string, ConnectorConfig[]> = {};
  // Connectors that left the placement leave the configs with it.
  for (const name of Object.keys(tasks)) {
    const c = body.configChanges[name] ?? before?.configs?.[name];
    if (c) configs[name] = c;
  }
  return { members, tasks, configs };
}

const json = new WeakMap<object, string>();

function jsonOf(v: object): string {
  let s = json.get(v);
  if (s === undefined) {
    s = JSON.stringify(v);
    json.set(v, s);
  }
  return s;
}
