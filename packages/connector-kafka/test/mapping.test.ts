import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SinkRecord } from '@sluice/connect-api';
import { topicPairs } from '../src/config.ts';
import { kafkaToSource, sinkToKafka, TAGS_HEADER } from '../src/mapping.ts';

const loop = { enabled: true, marker: 'by_connector' };
const binary = Buffer.from([0, 255, 1, 128, 10, 13]);

test('Kafka → RocketMQ: key, byte-exact value, headers, tags, timestamp, position after the record', () => {
  const r = kafkaToSource(
    {
      topic: 'a',
      partition: 2,
      offset: 41n,
      timestamp: 1700000000123,
      key: Buffer.from('kéy'),
      value: binary,
      headers: [
        ['h1', Buffer.from('v1')],
        [TAGS_HEADER, Buffer.from('TagA')],
      ],
    },
    'rmq-a',
    loop,
    'Default',
  )!;
  assert.equal(r.topic, 'rmq-a');
  assert.equal(r.key, 'kéy');
  assert.deepEqual(Buffer.from(r.value!), binary);
  assert.deepEqual(r.headers, { h1: 'v1', by_connector: 'kafka:a' });
  assert.equal(r.tags, 'TagA');
  assert.equal(r.timestamp, 1700000000123);
  assert.deepEqual(r.sourcePartition, { topic: 'a', partition: 2 });
  assert.deepEqual(r.sourcePosition, { offset: 42 });
});

test('the loop marker: a record never goes back where it came from; pipelines flow; off means unmarked', () => {
  const marked = {
    topic: 'a',
    partition: 0,
    offset: 0n,
    timestamp: 0,
    key: null,
    value: null,
    headers: [['by_connector', Buffer.from('true')]] as [string, Buffer][],
  };
  assert.equal(kafkaToSource(marked, 'x', loop, undefined), undefined, 'the fork’s marker always skips');
  const from = (origin: string) => ({
    ...marked,
    headers: [['by_connector', Buffer.from(origin)]] as [string, Buffer][],
  });
  assert.equal(kafkaToSource(from('rocketmq:a'), 'a', loop, undefined), undefined, 'an echo of RocketMQ a');
  assert.ok(kafkaToSource(from('rocketmq:other'), 'a', loop, undefined), 'from elsewhere: a pipeline flows');
  const off = kafkaToSource(
    { ...marked, headers: [] },
    'a',
    { enabled: false, marker: 'by_connector' },
    undefined,
  )!;
  assert.deepEqual(off.headers, {});
  const sink: SinkRecord = {
    queue: { topic: 't', brokerName: 'b', queueId: 0 },
    offset: 0n,
    topic: 't',
    value: binary,
    headers: { by_connector: 'kafka:k' },
    timestamp: 1,
    msgId: 'm',
  };
  assert.equal(sinkToKafka(sink, 'k', loop), undefined, 'an echo of Kafka k');
  assert.ok(sinkToKafka(sink, 'b', loop), 'Kafka k → RocketMQ t → Kafka b flows');
  assert.ok(sinkToKafka(sink, 'k', { enabled: false, marker: 'by_connector' }));
});

test('RocketMQ → Kafka: KEYS → key, body byte-exact, properties → headers, tags → rocketmq.tags, timestamp', () => {
  const out = sinkToKafka(
    {
      queue: { topic: 't', brokerName: 'b', queueId: 1 },
      offset: 5n,
      topic: 't',
      key: 'order-7',
      value: new Uint8Array(binary),
      headers: { p: 'q' },
      tags: 'TagB',
      timestamp: 1700000000999,
      msgId: 'm',
    },
    'kafka-t',
    loop,
  )!;
  assert.equal(out.topic, 'kafka-t');
  assert.deepEqual(out.key, Buffer.from('order-7'));
  assert.deepEqual(out.value, binary);
  const headers = out.headers as Map<Buffer, Buffer>;
  assert.deepEqual(Object.fromEntries([...headers].map(([k, v]) => [k.toString(), v.toString()])), {
    p: 'q',
    [TAGS_HEADER]: 'TagB',
    by_connector: 'rocketmq:t',
  });
  assert.equal(out.timestamp, 1700000000999n);
});

test('topic pairs: the seed list or one mapping, never both, never half', () => {
  const keys = { list: 'kafka.topics', from: 'kafka.topic', to: 'rocketmq.topic' };
  assert.deepEqual(topicPairs({ 'kafka.topics': 'a, b' }, keys).pairs, [
    ['a', 'a'],
    ['b', 'b'],
  ]);
  assert.deepEqual(topicPairs({ 'kafka.topic': 'a', 'rocketmq.topic': 'x' }, keys).pairs, [['a', 'x']]);
  assert.match(topicPairs({ 'kafka.topics': 'a', 'kafka.topic': 'a' }, keys).issues[0]!.message, /not both/);
  assert.match(topicPairs({ 'kafka.topic': 'a' }, keys).issues[0]!.message, /go together/);
  assert.match(topicPairs({}, keys).issues[0]!.message, /required/);
});

test('RocketMQ → Kafka: owner headers and the loop marker win over properties of the same name, once each', () => {
  const out = sinkToKafka(
    {
      queue: { topic: 't', brokerName: 'b', queueId: 1 },
      offset: 5n,
      topic: 't',
      value: Buffer.from('v'),
      headers: { 'sluice.task': 'forged', [TAGS_HEADER]: 'forged', keep: 'me' },
      tags: 'TagA',
      timestamp: 1,
      msgId: 'm',
    },
    'k',
    loop,
    { 'sluice.task': '3' },
  )!;
  const names = [...(out.headers as Map<Buffer, Buffer>).keys()].map(String);
  assert.deepEqual(names.toSorted(), ['by_connector', 'keep', 'rocketmq.tags', 'sluice.task']);
  const value = (n: string) =>
    String([...(out.headers as Map<Buffer, Buffer>)].find(([k]) => k.toString() === n)![1]);
  assert.equal(value('sluice.task'), '3');
  assert.equal(value(TAGS_HEADER), 'TagA');
});
