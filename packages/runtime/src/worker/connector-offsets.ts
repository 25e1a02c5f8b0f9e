import type { Logger, SourcePartition, SourcePosition } from '@sluice/connect-api';
import { type MessageQueue, type PullConsumer, queueKey } from '@sluice/rocketmq';
import { SluiceError } from '../errors.ts';
import type { OffsetStore } from '../stores/offset-store.ts';
import type { PositionStore } from '../stores/position-store.ts';
import { sinkGroup } from './runtime-deps.ts';

/**
 * One entry of the offsets routes, in Kafka Connect's shape. A source's partition and offset
 * are its own (`sourcePartition` / `sourcePosition`); a sink's partition is a RocketMQ queue
 * `{topic, brokerName, queueId}` and its offset `{offset}` is the next queue offset to deliver.
 * `offset: null` in a change deletes a source position, or moves a sink queue to its first message.
 */
export interface OffsetEntry {
  partition: Record<string, string | number>;
  offset: Record<string, string | number> | null;
}

/** Most entries one change may carry. */
export const MAX_OFFSET_ENTRIES = 10_000;

type Flat = Record<string, string | number>;

function flat(what: string, v: unknown): Flat {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(`${what} must be a JSON object`);
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && !(typeof x === 'number' && Number.isFinite(x)))
      throw bad(`${what}.${k} must be a string or a number`);
  }
  return v as Flat;
}

function bad(message: string): SluiceError {
  return new SluiceError('BAD_REQUEST', message);
}

/** Checks the body of `PATCH /connectors/{name}/offsets`: `{"offsets": [{partition, offset}, …]}`. */
export function parseOffsetEntries(raw: unknown): OffsetEntry[] {
  const list = (raw as { offsets?: unknown } | null)?.offsets;
  if (!Array.isArray(list) || list.length === 0)
    throw bad(
      'the body must be {"offsets": [{"partition": {…}, "offset": {…} | null}, …]} with at least one entry',
    );
  if (list.length > MAX_OFFSET_ENTRIES) throw bad(`at most ${MAX_OFFSET_ENTRIES} offsets per change`);
  return list.map((e: unknown, i) => {
    if (!e || typeof e !== 'object') throw bad(`offsets[${i}] must be an object`);
    const { partition, offset } = e as { partition?: unknown; offset?: unknown };
    if (offset === undefined) throw bad(`offsets[${i}] needs an "offset" (an object, or null to reset)`);
    return {
      partition: flat(`offsets[${i}].partition`, partition),
      offset: offset === null ? null : flat(`offsets[${i}].offset`, offset),
    };
  });
}

function wholeNumber(what: string, v: unknown): bigint {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,19}$/.test(s)) throw bad(`${what} must be a whole number ≥ 0`);
  return BigInt(s);
}

function sinkQueue(i: number, p: Flat): MessageQueue {
  const { topic, brokerName, queueId, ...rest } = p;
  if (Object.keys(rest).length > 0)
    throw bad(
      `offsets[${i}].partition: unknown keys ${Object.keys(rest).join(', ')} (a sink partition is {topic, brokerName, queueId})`,
    );
  if (typeof topic !== 'string' || !topic) throw bad(`offsets[${i}].partition.topic must be a topic name`);
  if (typeof brokerName !== 'string' || !brokerName)
    throw bad(`offsets[${i}].partition.brokerName must be a broker name`);
  return { topic, brokerName, queueId: Number(wholeNumber(`offsets[${i}].partition.queueId`, queueId)) };
}

export interface ConnectorOffsetsDeps {
  positions: PositionStore;
  offsets: OffsetStore;
  /** A consumer of the sink's group, closed by the caller's `finally`. */
  consumer: (group: string) => PullConsumer;
  logger: Logger;
}

/**
 * Reads and changes where a connector resumes. Callers make sure the connector is stopped:
 * a running task would overwrite the change with its next commit.
 */
export class ConnectorOffsets {
  readonly #deps: ConnectorOffsetsDeps;

  constructor(deps: ConnectorOffsetsDeps) {
    this.#deps = deps;
  }

  list(name: string, kind: 'source' | 'sink'): OffsetEntry[] {
    if (kind === 'source')
      return this.#deps.positions
        .list(name)
        .map((e) => ({ partition: { ...e.partition }, offset: { ...e.position } }));
    return this.#deps.offsets.list(sinkGroup(name)).map((e) => ({
      partition: { topic: e.queue.topic, brokerName: e.queue.brokerName, queueId: e.queue.queueId },
      offset: { offset: Number(e.offset) },
    }));
  }

  async alter(name: string, kind: 'source' | 'sink', entries: OffsetEntry[]): Promise<void> {
    if (kind === 'source') {
      const put = entries.filter((e) => e.offset !== null);
      const removed = entries.filter((e) => e.offset === null).map((e) => e.partition as SourcePartition);
      await this.#deps.positions.put(
        name,
        put.map((e) => ({ partition: e.partition, position: e.offset as SourcePosition })),
      );
      await this.#deps.positions.remove(name, removed);
      return;
    }
    const queues = entries.map((e, i) => ({ queue: sinkQueue(i, e.partition), offset: e.offset }));
    const target = new Map<MessageQueue, bigint | undefined>();
    await this.#withConsumer(name, async (consumer) => {
      // Every queue must exist: a typo would otherwise be stored and silently never used.
      const known = new Map<string, Set<string>>();
      for (const [i, { queue, offset }] of queues.entries()) {
        if (!known.has(queue.topic))
          known.set(queue.topic, new Set((await consumer.queues(queue.topic).catch(() => [])).map(queueKey)));
        if (!known.get(queue.topic)!.has(queueKey(queue)))
          throw new SluiceError('BAD_REQUEST', `offsets[${i}]: no queue ${queueKey(queue)} in RocketMQ`);
        target.set(
          queue,
          offset === null
            ? await consumer.minOffset(queue)
            : wholeNumber(`offsets[${i}].offset.offset`, offset.offset),
        );
        if (offset !== null && Object.keys(offset).some((k) => k !== 'offset'))
          throw bad(`offsets[${i}].offset: a sink offset is {"offset": <next queue offset>}`);
      }
      await this.#store(name, consumer, target);
    });
  }

  /** Forgets where the connector was: a source starts afresh, a sink from each queue's first message. */
  async reset(name: string, kind: 'source' | 'sink', topics: readonly string[]): Promise<void> {
    if (kind === 'source') {
      await this.#deps.positions.remove(
        name,
        this.#deps.positions.list(name).map((e) => e.partition),
      );
      return;
    }
    await this.#withConsumer(name, async (consumer) => {
      const queues = new Map<string, MessageQueue>();
      for (const e of this.#deps.offsets.list(sinkGroup(name))) queues.set(queueKey(e.queue), e.queue);
      for (const t of topics)
        for (const q of await consumer.queues(t).catch(() => [])) queues.set(queueKey(q), q);
      const target = new Map<MessageQueue, bigint | undefined>();
      for (const q of queues.values()) target.set(q, await consumer.minOffset(q));
      await this.#store(name, consumer, target);
    });
  }

  /**
   * Deletes what is kept of a removed connector: its source positions and its sink group's
   * offsets, the broker's copy moved back to each queue's first message. A connector created
   * again under the name then starts afresh instead of silently resuming.
   */
  async forget(name: string): Promise<void> {
    await this.#deps.positions.remove(
      name,
      this.#deps.positions.list(name).map((e) => e.partition),
    );
    const stored = this.#deps.offsets.list(sinkGroup(name));
    if (stored.length === 0) return;
    await this.#withConsumer(name, async (consumer) => {
      await this.#deps.offsets.reset(sinkGroup(name), new Map(stored.map((e) => [e.queue, undefined])));
      for (const { queue } of stored)
        await consumer.commitOffset(queue, await consumer.minOffset(queue)).catch((err: unknown) =>
          this.#deps.logger.warn('broker copy of a sink offset not reset', {
            connector: name,
            error: String(err),
          }),
        );
    });
  }

  async #store(name: string, consumer: PullConsumer, target: Map<MessageQueue, bigint | undefined>) {
    // The local store is what tasks resume from; the broker's copy is for RocketMQ's own tools.
    await this.#deps.offsets.reset(sinkGroup(name), target);
    for (const [q, o] of target) {
      if (o === undefined) continue;
      await consumer.commitOffset(q, o).catch((err: unknown) =>
        this.#deps.logger.warn('broker copy of a sink offset not updated', {
          connector: name,
          queue: queueKey(q),
          error: String(err),
        }),
      );
    }
  }

  async #withConsumer(name: string, op: (c: PullConsumer) => Promise<void>): Promise<void> {
    const consumer = this.#deps.consumer(sinkGroup(name));
    try {
      await op(consumer);
    } finally {
      await consumer.close();
    }
  }
}
