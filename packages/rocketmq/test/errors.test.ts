import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RocketMQError, refusedBeforeStore } from '../src/index.ts';

test('only a broker refusal before storing may be sent again without a duplicate', () => {
  const busy = new RocketMQError('BROKER_ERROR', 'busy', { responseCode: 2, retriable: true });
  const unavailable = new RocketMQError('BROKER_ERROR', 'not available', {
    responseCode: 14,
    retriable: true,
  });
  const timeout = new RocketMQError('TIMEOUT', 'no answer', { retriable: true });
  const closed = new RocketMQError('CONNECTION_CLOSED', 'closed', { retriable: true });
  assert.equal(refusedBeforeStore(busy), true);
  assert.equal(refusedBeforeStore(unavailable), true);
  assert.equal(refusedBeforeStore(timeout), false, 'it may have been stored unanswered');
  assert.equal(refusedBeforeStore(closed), false);
  assert.equal(refusedBeforeStore(new Error('x')), false);
});
