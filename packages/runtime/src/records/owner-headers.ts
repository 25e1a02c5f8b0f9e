// Who wrote a message or record, on the data itself: the connector, the task, the epoch it ran
// under and the worker. A reader proves one owner at a time by checking, per destination queue or
// partition, that a connector's epochs never go back (see docs/cluster.md).

/** The header (RocketMQ user property, Kafka header) names, each with its meaning. */
export const OWNER_HEADERS = {
  connector: 'sluice.connector',
  task: 'sluice.task',
  epoch: 'sluice.epoch',
  worker: 'sluice.worker',
} as const;

export interface TaskOwner {
  connector: string;
  task: number;
  /** In a cluster the config-log offset the tasks were started under; 0 in standalone mode. */
  epoch: bigint;
  worker: string;
}

export function ownerHeaders(o: TaskOwner): Record<string, string> {
  return {
    [OWNER_HEADERS.connector]: o.connector,
    [OWNER_HEADERS.task]: String(o.task),
    [OWNER_HEADERS.epoch]: String(o.epoch),
    [OWNER_HEADERS.worker]: o.worker,
  };
}

/** The owner named by a message's properties or a record's headers, if all four are there. */
export function readOwner(headers: Readonly<Record<string, string | undefined>>): TaskOwner | undefined {
  const connector = headers[OWNER_HEADERS.connector];
  const task = headers[OWNER_HEADERS.task];
  const epoch = headers[OWNER_HEADERS.epoch];
  const worker = headers[OWNER_HEADERS.worker];
  if (
    connector === undefined ||
    worker === undefined ||
    !/^\d+$/.test(task ?? '') ||
    !/^\d+$/.test(epoch ?? '')
  )
    return undefined;
  return { connector, task: Number(task), epoch: BigInt(epoch!), worker };
}
