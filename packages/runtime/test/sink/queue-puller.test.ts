import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageExt, PullConsumer, PullOptions, PullResult } from '@sluice/rocketmq';
import { QueuePuller } from '../../src/sink/queue-puller.ts';

// Pulls sent ahead, on a scripted broker queue: what the sink runner gets is every message once,
// in offset order, however the guesses about the next offsets turn out.

const queue = { topic: 't', brokerName: 'b', queueId: 0 };

/**
 * A queue of `size` messages (it may grow) answering like a broker: from the offset asked, at
 * most `cap` messages (fewer when `short(offset)` says so), after a few ticks.
 */
function broker(opts: { size: number; cap?: number; short?: (offset: bigint) => number | undefined }) {
  const state = { size: BigInt(opts.size), inFlight: 0, peak: 0, asked: [] as bigint[], suspended: 0 };
  const consumer = {
    async pull(_q: unknown, offset: bigint, o: PullOptions = {}): Promise<PullResult> {
      state.asked.push(offset);
      state.inFlight++;
      state.peak = Math.max(state.peak, state.inFlight);
      if ((o.suspendMs ?? 0) > 0) state.suspended++;
      await new Promise((r) => setTimeout(r, 1 + Math.random() * 3));
      state.inFlight--;
      const max = state.size;
      if (offset > max) return result('OFFSET_ILLEGAL', offset, max, []);
      if (offset === max) return result('NO_NEW_MSG', offset, max, []);
      const n = Math.min(opts.short?.(offset) ?? opts.cap ?? 32, o.maxMessages ?? 32, Number(max - offset));
      const messages = Array.from(
        { length: n },
        (_, i) => ({ queueOffset: offset + BigInt(i) }) as MessageExt,
      );
      return result('FOUND', offset + BigInt(n), max, messages);
    },
  };
  return { consumer: consumer as unknown as PullConsumer, state };
}

function result(status: PullResult['status'], next: bigint, max: bigint, messages: MessageExt[]): PullResult {
  return { status, nextBeginOffset: next, minOffset: 0n, maxOffset: max, suggestWhichBrokerId: 0, messages };
}

/** Reads as the sink runner does: from its own next offset, until `until` messages came. */
async function drain(puller: QueuePuller, until: number, onPull?: () => void) {
  const got: bigint[] = [];
  let next = 0n;
  while (got.length < until) {
    const r = await puller.pull(next, 0);
    for (const m of r.messages) got.push(m.queueOffset);
    next = r.nextBeginOffset;
    onPull?.();
  }
  return got;
}

const inOrder = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));

test('a full queue is read with pulls sent ahead, every message once and in order', async () => {
  const b = broker({ size: 1000 });
  const puller = new QueuePuller({
    consumer: b.consumer,
    queue,
    batch: 32,
    ahead: 2,
    signal: new AbortController().signal,
  });
  assert.deepEqual(await drain(puller, 1000), inOrder(1000));
  assert.equal(b.state.peak, 2, 'two pulls in flight: the one awaited and one more');
});

test('ahead 1: one pull at a time', async () => {
  const b = broker({ size: 200 });
  const puller = new QueuePuller({
    consumer: b.consumer,
    queue,
    batch: 32,
    ahead: 0,
    signal: new AbortController().signal,
  });
  assert.deepEqual(await drain(puller, 200), inOrder(200));
  assert.equal(b.state.peak, 1);
});

test('answers shorter than the last (a byte cap) break the guessed chain without a gap', async () => {
  // Every fifth pull brings 7 messages: the pulls sent ahead at +32 are at the wrong offsets.
  let pulls = 0;
  const b = broker({ size: 1500, short: () => (++pulls % 5 === 0 ? 7 : undefined) });
  const puller = new QueuePuller({
    consumer: b.consumer,
    queue,
    batch: 32,
    ahead: 3,
    signal: new AbortController().signal,
  });
  assert.deepEqual(await drain(puller, 1500), inOrder(1500));
});

test('a queue that grows while it is read: pulls ahead past its end are asked again', async () => {
  const b = broker({ size: 100 });
  const puller = new QueuePuller({
    consumer: b.consumer,
    queue,
    batch: 32,
    ahead: 2,
    signal: new AbortController().signal,
  });
  let grown = 0;
  const got = await drain(puller, 600, () => {
    if (grown < 10) {
      b.state.size += 50n;
      grown++;
    }
  });
  assert.deepEqual(got, inOrder(600));
});

test('nothing is sent ahead while the queue holds no more than the answer brought', async () => {
  const b = broker({ size: 20 });
  const puller = new QueuePuller({
    consumer: b.consumer,
    queue,
    batch: 32,
    ahead: 2,
    signal: new AbortController().signal,
  });
  const r = await puller.pull(0n, 0);
  assert.equal(r.messages.length, 20);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(b.state.asked, [0n], 'the queue ended at 20: no pull past it');
  const idle = await puller.pull(20n, 1000);
  assert.equal(idle.status, 'NO_NEW_MSG');
  assert.equal(b.state.suspended, 1, 'the drained queue is long-polled, as before');
});
