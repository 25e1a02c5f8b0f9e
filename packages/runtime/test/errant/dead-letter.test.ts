import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SinkRecord, SourceRecord } from '@sluice/connect-api';
import {
  CHUNK_ID_PROPERTY,
  CHUNK_PROPERTY,
  deadLetterMessages,
  ENVELOPE_PROPERTY,
  type ErrorContext,
} from '../../src/errant/dead-letter.ts';
import { errorPolicy, restartPolicy } from '../../src/errant/policy.ts';
import { nextRestart } from '../../src/task/restart-decision.ts';
import { ConnectorTimeoutError } from '../../src/task/timeout.ts';

const ctx: ErrorContext = {
  connector: 'k2r',
  connectorClass: 'KafkaSource',
  taskId: 2,
  stage: 'ROCKETMQ_PRODUCE',
  error: new Error('message body of 5000000 bytes is over the limit'),
};

const source: SourceRecord = {
  sourcePartition: { topic: 'orders', partition: 3 },
  sourcePosition: { offset: 43 },
  topic: 'orders-rmq',
  key: 'k1',
  value: Buffer.from('hello'),
  headers: { KEYS: 'collides', plain: 'v', empty: '' },
};

test('a bad source record travels as it was, with Kafka Connect context headers when asked', () => {
  const [m, ...rest] = deadLetterMessages('dlq', { kind: 'source', record: source }, ctx, {
    contextHeaders: true,
    maxBodyBytes: 1024,
  });
  assert.equal(rest.length, 0);
  assert.equal(m!.topic, 'dlq');
  assert.equal(m!.keys, 'k1');
  assert.equal(Buffer.from(m!.body as Uint8Array).toString(), 'hello');
  const p = m!.properties!;
  assert.equal(p.plain, 'v');
  assert.equal(p['sluice.h.KEYS'], '=collides', 'a system property name travels escaped');
  assert.equal(p['__connect.errors.topic'], 'orders');
  assert.equal(p['__connect.errors.partition'], '3');
  assert.equal(p['__connect.errors.source.position'], '{"offset":43}');
  assert.equal(p['__connect.errors.connector.name'], 'k2r');
  assert.equal(p['__connect.errors.task.id'], '2');
  assert.equal(p['__connect.errors.stage'], 'ROCKETMQ_PRODUCE');
  assert.equal(p['__connect.errors.exception.class.name'], 'Error');
  assert.match(p['__connect.errors.exception.message']!, /over the limit/);
  assert.match(p['__connect.errors.exception.stacktrace']!, /dead-letter\.test/);
  const plain = deadLetterMessages('dlq', { kind: 'source', record: source }, ctx, {
    contextHeaders: false,
    maxBodyBytes: 1024,
  });
  assert.ok(!Object.keys(plain[0]!.properties!).some((k) => k.startsWith('__connect.')));
});

test('a body too large for one message is cut into numbered chunks that share an id', () => {
  const big = Buffer.alloc(2500, 7);
  const msgs = deadLetterMessages('dlq', { kind: 'source', record: { ...source, value: big } }, ctx, {
    contextHeaders: false,
    maxBodyBytes: 1000,
  });
  assert.deepEqual(
    msgs.map((m) => m.properties![CHUNK_PROPERTY]),
    ['1/3', '2/3', '3/3'],
  );
  assert.equal(new Set(msgs.map((m) => m.properties![CHUNK_ID_PROPERTY])).size, 1);
  assert.deepEqual(Buffer.concat(msgs.map((m) => m.body as Buffer)), big);
});

test('headers too large for RocketMQ properties go with the body in a JSON envelope', () => {
  const headers = { huge: 'x'.repeat(40_000), other: 'y' };
  const [m] = deadLetterMessages('dlq', { kind: 'source', record: { ...source, headers } }, ctx, {
    contextHeaders: true,
    maxBodyBytes: 1 << 20,
  });
  assert.equal(m!.properties![ENVELOPE_PROPERTY], 'json');
  assert.equal(m!.properties!.huge, undefined);
  const envelope = JSON.parse(Buffer.from(m!.body as Buffer).toString());
  assert.deepEqual(envelope.headers, headers);
  assert.equal(Buffer.from(envelope.value, 'base64').toString(), 'hello');
});

test('a bad sink record names its queue, offset and message id', () => {
  const r: SinkRecord = {
    queue: { topic: 't', brokerName: 'broker-b', queueId: 5 },
    offset: 99n,
    topic: 't',
    value: Buffer.from('v'),
    headers: {},
    timestamp: 1,
    msgId: 'ABC',
  };
  const [m] = deadLetterMessages(
    'dlq',
    { kind: 'sink', record: r },
    { ...ctx, stage: 'TASK_PUT' },
    {
      contextHeaders: true,
      maxBodyBytes: 1024,
    },
  );
  const p = m!.properties!;
  assert.equal(p['__connect.errors.topic'], 't');
  assert.equal(p['__connect.errors.partition'], '5');
  assert.equal(p['__connect.errors.broker'], 'broker-b');
  assert.equal(p['__connect.errors.offset'], '99');
  assert.equal(p['__connect.errors.msg.id'], 'ABC');
  assert.equal(p['__connect.errors.stage'], 'TASK_PUT');
});

test('error and restart policies read Kafka Connect’s keys and their defaults', () => {
  assert.deepEqual(errorPolicy({}), {
    tolerance: 'none',
    retryTimeoutMs: 0,
    retryDelayMaxMs: 60_000,
    log: false,
    logMessages: false,
    deadLetterTopic: undefined,
    contextHeaders: false,
  });
  const p = errorPolicy({
    'errors.tolerance': 'all',
    'errors.retry.timeout': '-1',
    'errors.deadletterqueue.topic.name': 'dlq',
    'errors.deadletterqueue.context.headers.enable': 'true',
  });
  assert.equal(p.tolerance, 'all');
  assert.equal(p.retryTimeoutMs, -1);
  assert.equal(p.deadLetterTopic, 'dlq');
  assert.equal(p.contextHeaders, true);
  assert.deepEqual(restartPolicy({}), { always: false, initialMs: 1000, maxMs: 60_000 });
});

test('automatic restarts: passing causes always, others only when asked; backoff doubles, resets when healthy', () => {
  const policy = { always: false, initialMs: 1000, maxMs: 8000 };
  const bad = new Error('a bug');
  const away = Object.assign(new Error('Kafka away'), { retriable: true });
  assert.equal(nextRestart(policy, bad, { attempt: 0, startedAt: 0 }, 10), undefined);
  assert.deepEqual(nextRestart({ ...policy, always: true }, bad, { attempt: 0, startedAt: 0 }, 10), {
    attempt: 1,
    delayMs: 1000,
  });
  assert.deepEqual(nextRestart(policy, away, { attempt: 0, startedAt: 0 }, 10)?.delayMs, 1000);
  const timeout = new ConnectorTimeoutError('put did not return');
  assert.deepEqual(nextRestart(policy, timeout, { attempt: 2, startedAt: 0 }, 10), {
    attempt: 3,
    delayMs: 4000,
  });
  assert.deepEqual(nextRestart(policy, away, { attempt: 9, startedAt: 0 }, 10), {
    attempt: 10,
    delayMs: 8000,
  });
  // Ran 8 s (the longest wait) without failing: healthy, back to the first wait.
  assert.deepEqual(nextRestart(policy, away, { attempt: 9, startedAt: 0 }, 8000), {
    attempt: 1,
    delayMs: 1000,
  });
});
