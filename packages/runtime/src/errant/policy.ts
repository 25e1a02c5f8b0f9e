import type { ConfigField, ConnectorConfig } from '@sluice/connect-api';

// What a connector config says about bad records and failed tasks: Kafka Connect's `errors.*`
// keys with their names, defaults and meaning, and Sluice's own `task.restart.*` keys.

const TOPIC = /^[%|a-zA-Z0-9_-]{1,127}$/;

const KEYS: readonly ConfigField[] = [
  {
    name: 'errors.tolerance',
    type: 'string',
    default: 'none',
    oneOf: ['none', 'all'],
    doc: 'none: a bad record fails its task; all: bad records are skipped (logged, dead-lettered, counted) and the task goes on',
  },
  {
    name: 'errors.retry.timeout',
    type: 'int',
    default: '0',
    min: -1,
    doc: 'ms a refused record is tried again before it counts as bad (0: not tried again, -1: forever)',
  },
  {
    name: 'errors.retry.delay.max.ms',
    type: 'int',
    default: '60000',
    min: 1,
    doc: 'longest wait between two tries of a refused record (the waits double from 100 ms)',
  },
  {
    name: 'errors.log.enable',
    type: 'boolean',
    default: 'false',
    doc: 'log every tolerated bad record with its reason and origin',
  },
  {
    name: 'errors.log.include.messages',
    type: 'boolean',
    default: 'false',
    doc: 'the bad-record log line also holds the record (key, headers, the first 1 KiB of the value)',
  },
  {
    name: 'errors.deadletterqueue.topic.name',
    type: 'string',
    default: '',
    doc: 'RocketMQ topic that receives tolerated bad records, for sources and sinks alike (empty: none)',
    check: (v) => (TOPIC.test(v) ? undefined : `is not a valid RocketMQ topic name (got "${v}")`),
  },
  {
    name: 'errors.deadletterqueue.context.headers.enable',
    type: 'boolean',
    default: 'false',
    doc: 'dead-letter messages also carry __connect.errors.* properties: origin, connector, task, stage, exception',
  },
  {
    name: 'errors.deadletterqueue.topic.replication.factor',
    type: 'int',
    default: '3',
    min: -1,
    doc: 'accepted so that Kafka Connect configs pass; RocketMQ topics have no replication factor',
  },
  {
    name: 'task.restart.on.failure',
    type: 'boolean',
    default: 'false',
    doc: 'restart a failed task whatever the cause (a task that failed for a passing cause, such as a timeout or an outage, always restarts)',
  },
  {
    name: 'task.restart.backoff.initial.ms',
    type: 'int',
    default: '1000',
    min: 1,
    doc: 'wait before the first automatic restart of a failed task; it doubles with every further failure',
  },
  {
    name: 'task.restart.backoff.max.ms',
    type: 'int',
    default: '60000',
    min: 1,
    doc: 'longest wait between automatic restarts; a task that ran this long without failing starts over at the initial wait',
  },
];

/** In validate answers: Kafka Connect's group for errors.*, one of Sluice's own for the rest. */
export const ERROR_KEYS: readonly ConfigField[] = KEYS.map((f) => ({
  group: f.name.startsWith('errors.') ? 'Error Handling' : 'Task Restarts',
  ...f,
}));

export interface ErrorPolicy {
  tolerance: 'none' | 'all';
  /** -1: forever. */
  retryTimeoutMs: number;
  retryDelayMaxMs: number;
  log: boolean;
  logMessages: boolean;
  /** Undefined: no dead-letter topic. */
  deadLetterTopic: string | undefined;
  contextHeaders: boolean;
}

export interface RestartPolicy {
  always: boolean;
  initialMs: number;
  maxMs: number;
}

function int(config: ConnectorConfig, key: string, fallback: number): number {
  const n = Number(config[key]);
  return config[key] !== undefined && config[key] !== '' && Number.isFinite(n) ? n : fallback;
}

/** The policy of a checked config (defaults apply to keys it does not hold). */
export function errorPolicy(config: ConnectorConfig): ErrorPolicy {
  return {
    tolerance: config['errors.tolerance'] === 'all' ? 'all' : 'none',
    retryTimeoutMs: int(config, 'errors.retry.timeout', 0),
    retryDelayMaxMs: int(config, 'errors.retry.delay.max.ms', 60_000),
    log: config['errors.log.enable'] === 'true',
    logMessages: config['errors.log.include.messages'] === 'true',
    deadLetterTopic: config['errors.deadletterqueue.topic.name'] || undefined,
    contextHeaders: config['errors.deadletterqueue.context.headers.enable'] === 'true',
  };
}

export function restartPolicy(config: ConnectorConfig): RestartPolicy {
  return {
    always: config['task.restart.on.failure'] === 'true',
    initialMs: int(config, 'task.restart.backoff.initial.ms', 1000),
    maxMs: int(config, 'task.restart.backoff.max.ms', 60_000),
  };
}
