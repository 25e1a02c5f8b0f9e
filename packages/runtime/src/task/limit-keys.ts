import type { ConfigField, ConnectorConfig } from '@sluice/connect-api';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from '../sink/limits.ts';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from '../source/limits.ts';

// The connector keys that tune a task's runner: every buffer and in-flight limit an operator may
// need to trade memory for throughput has a key here, a default, and a line in docs/reference.md.

type LimitKey<L> = ConfigField & { limit: keyof L };

const SOURCE_KEYS: readonly LimitKey<SourceLimits>[] = [
  {
    name: 'source.max.in.flight.records',
    limit: 'maxInFlightRecords',
    type: 'int',
    default: String(DEFAULT_SOURCE_LIMITS.maxInFlightRecords),
    min: 1,
    max: 1_000_000,
    doc: 'sources: records a task has sent and RocketMQ has not acknowledged yet; poll waits at this mark',
  },
  {
    name: 'source.max.in.flight.bytes',
    limit: 'maxInFlightBytes',
    type: 'int',
    default: String(DEFAULT_SOURCE_LIMITS.maxInFlightBytes),
    min: 1024,
    max: 1024 * 1024 * 1024,
    doc: 'sources: body bytes a task has sent and RocketMQ has not acknowledged yet; poll waits at this mark',
  },
  {
    name: 'source.max.batch.records',
    limit: 'maxBatchRecords',
    type: 'int',
    default: String(DEFAULT_SOURCE_LIMITS.maxBatchRecords),
    min: 1,
    max: 10_000,
    doc: 'sources: most records in one RocketMQ batch (one request to one queue)',
  },
  {
    name: 'source.max.batch.bytes',
    limit: 'maxBatchBytes',
    type: 'int',
    default: String(DEFAULT_SOURCE_LIMITS.maxBatchBytes),
    min: 1024,
    max: 4 * 1024 * 1024 - 256 * 1024,
    doc: 'sources: most body bytes in one RocketMQ batch (the broker takes at most 4 MiB per request)',
  },
];

const SINK_KEYS: readonly LimitKey<SinkLimits>[] = [
  {
    name: 'sink.max.in.flight.puts',
    limit: 'maxInFlightPuts',
    type: 'int',
    default: String(DEFAULT_SINK_LIMITS.maxInFlightPuts),
    min: 1,
    max: 64,
    doc: 'sinks whose tasks take overlapping puts (the Kafka sink): batches being written at once per task; 1: one at a time. A queue’s offset is stored only up to its first record not yet written',
  },
  {
    name: 'sink.max.put.records',
    limit: 'maxPutRecords',
    type: 'int',
    default: String(DEFAULT_SINK_LIMITS.maxPutRecords),
    min: 1,
    max: 100_000,
    doc: 'sinks: most records handed to one put',
  },
  {
    name: 'sink.max.pulls.in.flight',
    limit: 'pullsAhead',
    type: 'int',
    default: String(DEFAULT_SINK_LIMITS.pullsAhead),
    min: 1,
    max: 16,
    doc: 'sinks: pulls of one queue in flight at once while it holds more than an answer brings (a broker answers at most 32 messages a pull); 1: one at a time',
  },
  {
    name: 'sink.max.buffered.records',
    limit: 'maxBufferedRecords',
    type: 'int',
    default: String(DEFAULT_SINK_LIMITS.maxBufferedRecords),
    min: 1,
    max: 1_000_000,
    doc: 'sinks: records a task pulls ahead of its puts, over all its queues; pulling waits at this mark',
  },
];

export const LIMIT_KEYS: readonly ConfigField[] = [...SOURCE_KEYS, ...SINK_KEYS].map(
  ({ limit: _, ...f }) => ({ group: 'Limits', importance: 'low', ...f }),
);

function limits<L>(keys: readonly LimitKey<L>[], config: ConnectorConfig): Partial<L> {
  const out: Partial<Record<keyof L, number>> = {};
  for (const k of keys) {
    const v = config[k.name];
    if (v !== undefined && v !== '' && Number.isInteger(Number(v))) out[k.limit] = Number(v);
  }
  return out as Partial<L>;
}

/** The limits a checked config sets (keys it does not hold keep the runners' defaults). */
export function taskLimits(config: ConnectorConfig): {
  source: Partial<SourceLimits>;
  sink: Partial<SinkLimits>;
} {
  return { source: limits(SOURCE_KEYS, config), sink: limits(SINK_KEYS, config) };
}
