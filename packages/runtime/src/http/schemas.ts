import { Type } from 'typebox';

// The JSON shapes of the resource API. Fastify validates requests against them and
// @fastify/swagger turns them into /openapi.json, so the document cannot drift from the code.

const map = (value: ReturnType<typeof Type.String>, description: string) =>
  Type.Object({}, { additionalProperties: value, description });

export const ConnectorConfig = map(
  Type.String(),
  'Connector config: string keys and string values (connector.class, tasks.num / tasks.max, the plugin’s keys).',
);

/** A config as sent: numbers and booleans are taken as their text, null removes a key (PATCH). */
export const ConfigInput = Type.Object(
  {},
  {
    additionalProperties: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
    description:
      'Connector config: string values; numbers and booleans are taken as their text; in PATCH, null removes a key.',
  },
);

const Scalar = Type.Union([Type.String(), Type.Number()]);
const ScalarMap = Type.Object({}, { additionalProperties: Scalar });

export const ErrorBody = Type.Object(
  { error_code: Type.Integer(), message: Type.String() },
  { description: 'Every failure: the HTTP status again, and what went wrong.' },
);

export const NameParams = Type.Object({ name: Type.String({ description: 'Connector name' }) });
export const WorkerIdParams = Type.Object({ id: Type.String({ description: 'Worker id' }) });
export const TaskParams = Type.Object({
  name: Type.String({ description: 'Connector name' }),
  id: Type.String({ description: 'Task id (0, 1, …)' }),
});

export const CreateBody = Type.Object(
  {
    name: Type.String(),
    config: ConfigInput,
    initial_state: Type.Optional(
      Type.String({ description: 'RUNNING (default), PAUSED or STOPPED: the state it is created in' }),
    ),
  },
  { additionalProperties: false },
);

const TaskId = Type.Object({ connector: Type.String(), task: Type.Integer() });

export const ConnectorInfoBody = Type.Object({
  name: Type.String(),
  config: ConnectorConfig,
  tasks: Type.Array(TaskId),
  type: Type.String({ description: 'source, sink, or unknown when its plugin is missing' }),
});

const State = Type.String({
  description: 'UNASSIGNED, RUNNING, PAUSED, RESTARTING (tasks), STOPPING, STOPPED or FAILED',
});

export const TaskStatusBody = Type.Object({
  id: Type.Integer(),
  state: State,
  worker_id: Type.String(),
  version: Type.Optional(Type.String({ description: 'its plugin’s version' })),
  trace: Type.Optional(Type.String({ description: 'The error, for a FAILED or RESTARTING task' })),
  errors: Type.Optional(
    Type.Object(
      {
        tolerated: Type.Integer({ description: 'bad records skipped (errors.tolerance=all)' }),
        deadLettered: Type.Integer({ description: 'of them, written to the dead-letter topic' }),
        lastError: Type.Optional(Type.String({ description: 'stage and reason of the last one' })),
      },
      { description: 'Bad records this task tolerated since it started, once there are any' },
    ),
  ),
  restart: Type.Optional(
    Type.Object(
      {
        attempt: Type.Integer({ description: 'automatic restarts since the task last ran healthy' }),
        nextAt: Type.String({ description: 'when the next one happens (ISO 8601)' }),
      },
      { description: 'RESTARTING: the pending automatic restart' },
    ),
  ),
});

export const ConnectorStatusBody = Type.Object({
  name: Type.String(),
  connector: Type.Object({
    state: State,
    worker_id: Type.String(),
    version: Type.Optional(Type.String()),
    trace: Type.Optional(Type.String()),
  }),
  tasks: Type.Array(TaskStatusBody),
  type: Type.String(),
});

export const TaskConfigsBody = Type.Array(Type.Object({ id: TaskId, config: ConnectorConfig }));

export const ExpandQuery = Type.Object({
  expand: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String())], {
      description: 'status and/or info (repeat or comma-separate): a map of name → details',
    }),
  ),
});

export const RestartQuery = Type.Object({
  includeTasks: Type.Optional(Type.String({ description: 'true: restart the tasks too (default false)' })),
  onlyFailed: Type.Optional(Type.String({ description: 'true: only what is FAILED (default false)' })),
});

export const OffsetsBody = Type.Object({
  offsets: Type.Array(
    Type.Object({
      partition: ScalarMap,
      offset: Type.Union([ScalarMap, Type.Null()]),
    }),
    {
      description:
        'Source: the connector’s own partitions and positions. Sink: partition {topic, brokerName, queueId}, offset {offset: next queue offset}. offset null resets.',
    },
  ),
});

export const MessageBody = Type.Object({ message: Type.String() });

export const PluginsBody = Type.Array(
  Type.Object({ class: Type.String(), type: Type.String(), version: Type.String() }),
);

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

export const ConfigKeyInfo = Type.Object({
  name: Type.String(),
  type: Type.String({ description: 'STRING, INT, BOOLEAN, LIST or PASSWORD' }),
  required: Type.Boolean(),
  default_value: Nullable(Type.String()),
  importance: Type.String({ description: 'HIGH, MEDIUM or LOW' }),
  documentation: Type.String(),
  group: Nullable(Type.String()),
  width: Type.String(),
  display_name: Type.String(),
  dependents: Type.Array(Type.String()),
  order: Type.Integer(),
});

export const ValidateBody = Type.Object(
  {
    name: Type.String(),
    error_count: Type.Integer(),
    groups: Type.Array(Type.String()),
    configs: Type.Array(
      Type.Object({
        definition: ConfigKeyInfo,
        value: Type.Object({
          name: Type.String(),
          value: Nullable(Type.String()),
          recommended_values: Type.Array(Type.String()),
          errors: Type.Array(Type.String()),
          visible: Type.Boolean(),
        }),
      }),
    ),
  },
  {
    description:
      'Kafka Connect’s ConfigInfos; keys the connector does not know are in the group "Unknown keys"',
  },
);

export const WorkersBody = Type.Array(
  Type.Object({
    worker_id: Type.String(),
    url: Type.Optional(Type.String({ description: 'where its HTTP API answers' })),
    leader: Type.Optional(Type.Boolean({ description: 'whether it computes the assignments' })),
    tasks: Type.Optional(Type.Integer({ description: 'tasks the current assignment gives it' })),
    heartbeat_age_ms: Type.Optional(
      Type.Integer({ description: 'milliseconds since this worker last heard its heartbeat' }),
    ),
  }),
);

export const HealthBody = Type.Object({
  status: Type.String({ description: 'starting, healthy or unhealthy (stopping)' }),
  message: Type.String(),
  workerId: Type.String(),
});

export const RootBody = Type.Object({
  version: Type.String(),
  commit: Type.String(),
  kafka_cluster_id: Type.String({ description: 'Sluice: the cluster group the worker belongs to' }),
  worker_id: Type.String(),
});

/** The usual error answers, for a route's `response` map. */
export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { ...ErrorBody, description: ERROR_TEXT[c] ?? 'Error' }]));

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad input: nothing changed',
  404: 'No such connector, task or plugin',
  409: 'Name taken, or the connector is in the wrong state',
  500: 'The worker failed',
  502: 'Another worker did not answer',
};
