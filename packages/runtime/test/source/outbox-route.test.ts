import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageQueue } from '@sluice/rocketmq';
import { mergeRoute } from '../../src/source/outbox.ts';

const q = (brokerName: string, queueId: number): MessageQueue => ({ topic: 't', brokerName, queueId });
const names = (qs: MessageQueue[]) => qs.map((x) => `${x.brokerName}#${x.queueId}`);

test('a route read keeps the queues of a master it does not list, and believes the ones it lists', () => {
  const both = [q('broker-a', 0), q('broker-a', 1), q('broker-b', 0), q('broker-b', 1)];
  // broker-b away: its queues stay (keyed records wait for them instead of moving).
  assert.deepEqual(names(mergeRoute(both, [q('broker-a', 0), q('broker-a', 1)])), names(both));
  // broker-a grew to three queues, broker-b shrank to one: both as listed.
  assert.deepEqual(
    names(mergeRoute(both, [q('broker-a', 0), q('broker-a', 1), q('broker-a', 2), q('broker-b', 0)])),
    ['broker-a#0', 'broker-a#1', 'broker-a#2', 'broker-b#0'],
  );
  assert.deepEqual(names(mergeRoute([], [q('broker-b', 1), q('broker-a', 0)])), ['broker-a#0', 'broker-b#1']);
});
