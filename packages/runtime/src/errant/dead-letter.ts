import { randomUUID } from 'node:crypto';
import type { SinkRecord, SourceRecord } from '@sluice/connect-api';
import type { Message } from '@sluice/rocketmq';
import { escapeHeaders } from '../records/header-escape.ts';

// What a bad record becomes in the dead-letter topic. The record travels as it was — body, key,
// tags, headers — with Kafka Connect's `__connect.errors.*` properties when context headers are
// on. What RocketMQ cannot hold in one message does not make the record vanish: headers too
// large for its properties go with the body in a JSON envelope, and a body too large for one
// message is cut into numbered chunks that share an id.

/** Where in the data path a record went bad (the `__connect.errors.stage` value). */
export type Stage = 'TASK_POLL' | 'ROCKETMQ_PRODUCE' | 'ROCKETMQ_CONSUME' | 'TASK_PUT';

export type BadRecord = { kind: 'source'; record: SourceRecord } | { kind: 'sink'; record: SinkRecord };

export interface ErrorContext {
  connector: string;
  connectorClass: string;
  taskId: number;
  stage: Stage;
  error: unknown;
}

/** `i/n` on each chunk of a record cut into n messages; the chunks share `sluice.dlq.id`. */
export const CHUNK_PROPERTY = 'sluice.dlq.chunk';
export const CHUNK_ID_PROPERTY = 'sluice.dlq.id';
/** `json`: the body is `{"headers": {…}, "value": "<base64>"}` (headers too large for properties). */
export const ENVELOPE_PROPERTY = 'sluice.dlq.envelope';

/** RocketMQ keeps a message's properties in at most 32767 bytes; room is left for ours. */
const MAX_HEADER_BYTES = 24 * 1024;
const MAX_MESSAGE_CHARS = 2000;
const MAX_STACK_CHARS = 8000;

/** A property value RocketMQ can hold: no separators, not empty, not too long. */
function value(s: string, max: number): string | undefined {
  const clean = s.replaceAll('\u0001', '?').replaceAll('\u0002', '?');
  if (clean === '') return undefined;
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Where the record came from, in Kafka Connect's names where they fit. */
export function originOf(bad: BadRecord): Record<string, string> {
  if (bad.kind === 'sink') {
    const r = bad.record;
    return {
      '__connect.errors.topic': r.topic,
      '__connect.errors.partition': String(r.queue.queueId),
      '__connect.errors.offset': String(r.offset),
      '__connect.errors.broker': r.queue.brokerName,
      '__connect.errors.msg.id': r.msgId,
    };
  }
  const { sourcePartition: p, sourcePosition: pos } = bad.record;
  return {
    ...(p.topic !== undefined ? { '__connect.errors.topic': String(p.topic) } : {}),
    ...(p.partition !== undefined ? { '__connect.errors.partition': String(p.partition) } : {}),
    '__connect.errors.source.partition': JSON.stringify(p),
    '__connect.errors.source.position': JSON.stringify(pos),
  };
}

export function errorHeaders(bad: BadRecord, ctx: ErrorContext): Record<string, string> {
  const err = ctx.error instanceof Error ? ctx.error : new Error(String(ctx.error));
  const out: Record<string, string> = {
    ...originOf(bad),
    '__connect.errors.connector.name': ctx.connector,
    '__connect.errors.task.id': String(ctx.taskId),
    '__connect.errors.stage': ctx.stage,
    '__connect.errors.class.name': ctx.connectorClass,
    '__connect.errors.exception.class.name': err.name,
  };
  const message = value(err.message, MAX_MESSAGE_CHARS);
  if (message) out['__connect.errors.exception.message'] = message;
  const stack = value(err.stack ?? '', MAX_STACK_CHARS);
  if (stack) out['__connect.errors.exception.stacktrace'] = stack;
  return out;
}

function bytesOf(bad: BadRecord): Buffer {
  const v = bad.record.value;
  return v ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.alloc(0);
}

const size = (props: Record<string, string>) =>
  Object.entries(props).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v) + 2, 0);

/**
 * The dead-letter messages for one bad record: one, or `n` chunks of at most `maxBodyBytes`
 * each when its body does not fit. Their order is the chunks' order.
 */
export function deadLetterMessages(
  topic: string,
  bad: BadRecord,
  ctx: ErrorContext,
  opts: { contextHeaders: boolean; maxBodyBytes: number },
): Message[] {
  const headers = escapeHeaders(bad.record.headers ?? {});
  let body = bytesOf(bad);
  const properties: Record<string, string> = opts.contextHeaders ? errorHeaders(bad, ctx) : {};
  if (size(headers) > MAX_HEADER_BYTES) {
    body = Buffer.from(JSON.stringify({ headers: bad.record.headers, value: body.toString('base64') }));
    properties[ENVELOPE_PROPERTY] = 'json';
  } else Object.assign(properties, headers);
  const base = {
    topic,
    ...(bad.record.key ? { keys: bad.record.key } : {}),
    ...(bad.record.tags ? { tags: bad.record.tags } : {}),
  };
  if (body.length <= opts.maxBodyBytes) return [{ ...base, body, properties }];
  const n = Math.ceil(body.length / opts.maxBodyBytes);
  const id = randomUUID();
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    body: body.subarray(i * opts.maxBodyBytes, (i + 1) * opts.maxBodyBytes),
    properties: { ...properties, [CHUNK_PROPERTY]: `${i + 1}/${n}`, [CHUNK_ID_PROPERTY]: id },
  }));
}
