import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RocketMQError } from '@sluice/rocketmq';
import { retryBroker } from '../../src/worker/broker-retry.ts';

const away = () => new RocketMQError('NO_ROUTE', 'no master broker', { retriable: true });

test('retriable broker errors are retried until the call succeeds', async () => {
  let calls = 0;
  const v = await retryBroker(async () => {
    if (++calls < 3) throw away();
    return 'ok';
  });
  assert.equal(v, 'ok');
  assert.equal(calls, 3);
});

test('anything else fails at once, and a retriable error stands once the time is up', async () => {
  let calls = 0;
  const bad = new RocketMQError('INVALID_ARGUMENT', 'bad group name');
  await assert.rejects(
    retryBroker(async () => {
      calls++;
      throw bad;
    }),
    bad,
  );
  assert.equal(calls, 1);
  await assert.rejects(
    retryBroker(
      async () => {
        throw away();
      },
      { forMs: 250 },
    ),
    { code: 'NO_ROUTE' },
  );
});
