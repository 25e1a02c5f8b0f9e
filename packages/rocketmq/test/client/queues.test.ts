import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateAveragely, publishQueues, subscribeQueues, type TopicRouteData } from '../../src/index.ts';

test('AllocateMessageQueueAveragely vectors (spec §8.3)', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const alloc = (n: number, k: number) => range(k).map((i) => allocateAveragely(range(n), k, i));
  assert.deepEqual(alloc(8, 3), [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7],
  ]);
  assert.deepEqual(alloc(16, 6), [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
    [9, 10, 11],
    [12, 13],
    [14, 15],
  ]);
  assert.deepEqual(alloc(3, 5), [[0], [1], [2], [], []]);
  assert.deepEqual(allocateAveragely(range(4), 2, -1), []);
});

const route: TopicRouteData = {
  queueDatas: [
    { brokerName: 'broker-b', readQueueNums: 2, writeQueueNums: 1, perm: 6, topicSysFlag: 0 },
    { brokerName: 'broker-a', readQueueNums: 1, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
    { brokerName: 'broker-c', readQueueNums: 1, writeQueueNums: 1, perm: 4, topicSysFlag: 0 },
    { brokerName: 'broker-d', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicSysFlag: 0 },
  ],
  brokerDatas: [
    { cluster: 'c', brokerName: 'broker-a', brokerAddrs: { 0: 'a:1' } },
    { cluster: 'c', brokerName: 'broker-b', brokerAddrs: { 0: 'b:1' } },
    { cluster: 'c', brokerName: 'broker-c', brokerAddrs: { 0: 'c:1' } },
    { cluster: 'c', brokerName: 'broker-d', brokerAddrs: { 1: 'd-slave:1' } },
  ],
};

test('publish queues: writable, with a master, sorted by broker name', () => {
  assert.deepEqual(
    publishQueues('t', route).map((q) => `${q.brokerName}#${q.queueId}`),
    ['broker-a#0', 'broker-a#1', 'broker-b#0'],
  );
});

test('subscribe queues: readable, sorted', () => {
  assert.deepEqual(
    subscribeQueues('t', route).map((q) => `${q.brokerName}#${q.queueId}`),
    ['broker-a#0', 'broker-b#0', 'broker-b#1', 'broker-c#0', 'broker-d#0'],
  );
});

test('orderTopicConf decides the publish queues when present', () => {
  assert.deepEqual(
    publishQueues('t', { ...route, orderTopicConf: 'broker-x:2;broker-y:1' }).map(
      (q) => `${q.brokerName}#${q.queueId}`,
    ),
    ['broker-x#0', 'broker-x#1', 'broker-y#0'],
  );
});
