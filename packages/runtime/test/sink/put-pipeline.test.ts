import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetriableError, type SinkRecord, type SinkTask } from '@sluice/connect-api';
import type { Producer } from '@sluice/rocketmq';
import { ErrantRecords } from '../../src/errant/errant-records.ts';
import { errorPolicy } from '../../src/errant/policy.ts';
import { Delivery } from '../../src/sink/delivery.ts';
import { DEFAULT_SINK_LIMITS } from '../../src/sink/limits.ts';
import { PutPipeline } from '../../src/sink/put-pipeline.ts';
import { withTimeout } from '../../src/task/timeout.ts';

// The ordering contract of overlapping puts (SinkTask.maxConcurrentPuts), on a scripted task.

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const queue = { topic: 't', brokerName: 'b', queueId: 0 };
const batch = (n: number): SinkRecord[] => [
  {
    topic: 't',
    queue,
    offset: BigInt(n),
    key: undefined,
    value: Buffer.from(String(n)),
    headers: {},
  } as never,
];
const id = (records: SinkRecord[]) => Number(records[0]!.offset);

/** A task whose puts wait until the test settles them: `script(n, attempt)` says how. */
function scripted(
  script: (n: number, attempt: number) => 'ok' | 'retriable' | 'fatal' | 'hang' = () => 'ok',
) {
  const calls: number[] = [];
  const open = new Map<number, () => void>();
  let running = 0;
  let peak = 0;
  const task: SinkTask = {
    maxConcurrentPuts: 8,
    start() {},
    stop() {},
    async put(records) {
      const n = id(records);
      const attempt = calls.filter((c) => c === n).length;
      calls.push(n);
      running++;
      peak = Math.max(peak, running);
      try {
        const how = script(n, attempt);
        if (how === 'hang') return await new Promise<void>(() => {});
        // Later batches resolve first: completion order is not start order.
        await new Promise<void>((r) => open.set(n, r));
        if (how === 'retriable') throw new RetriableError(`batch ${n} hit an outage`);
        if (how === 'fatal') throw new Error(`batch ${n} refused`);
      } finally {
        running--;
      }
    },
  };
  const release = (...ns: number[]) => {
    for (const n of ns) {
      open.get(n)?.();
      open.delete(n);
    }
  };
  return { task, calls, release, open, peak: () => peak };
}

function pipeline(task: SinkTask, max: number, opts: { tolerance?: 'all'; timeoutMs?: number } = {}) {
  const stop = new AbortController();
  const policy = errorPolicy(opts.tolerance ? { 'errors.tolerance': opts.tolerance } : {});
  const errant = new ErrantRecords({
    policy,
    producer: {} as Producer,
    logger: silent,
    connector: 'c',
    connectorClass: 'C',
    taskId: 0,
    signal: stop.signal,
  });
  const delivery = new Delivery({
    task,
    limits: { ...DEFAULT_SINK_LIMITS, retryBackoffMs: 1, maxRetryBackoffMs: 2 },
    errant,
    logger: silent,
    connector: 'c',
    taskId: 0,
    signal: stop.signal,
    mayWrite: () => true,
    call: (what, fn) => withTimeout(what, opts.timeoutMs ?? 5000, fn),
  });
  const delivered: number[] = [];
  const puts = new PutPipeline({
    delivery,
    maxInFlight: max,
    mayWrite: () => true,
    signal: stop.signal,
    failsOnRefusal: policy.tolerance === 'none',
    delivered: (records) => delivered.push(id(records)),
  });
  return { puts, delivered, stop, errant };
}

const tick = () => new Promise((r) => setImmediate(r));

test('up to max puts overlap; batches count as delivered in the order they started', async () => {
  const t = scripted();
  const { puts, delivered } = pipeline(t.task, 3);
  for (const n of [1, 2, 3]) assert.equal(await puts.submit(batch(n)), true);
  const fourth = puts.submit(batch(4));
  await tick();
  assert.deepEqual(t.calls, [1, 2, 3], 'the fourth waits for a free slot');
  t.release(3, 2);
  await tick();
  assert.deepEqual(delivered, [], 'later batches finished first: nothing counts before batch 1');
  t.release(1);
  assert.equal(await fourth, true);
  assert.deepEqual(delivered, [1], 'a free slot is all the fourth waits for');
  assert.equal(await puts.submit(batch(5)), true);
  assert.deepEqual(delivered, [1, 2, 3], 'what finished in order counts at the next hand-over');
  t.release(4, 5);
  assert.equal(await puts.drain(), true);
  assert.deepEqual(delivered, [1, 2, 3, 4, 5]);
  assert.equal(t.peak(), 3);
});

test('one in flight: each put waits for the one before', async () => {
  const t = scripted();
  const { puts, delivered } = pipeline(t.task, 1);
  for (const n of [1, 2]) {
    const handed = puts.submit(batch(n));
    await tick();
    assert.equal(delivered.length, n - 1, 'the hand-over returns only once the put resolved');
    t.release(n);
    assert.equal(await handed, true);
  }
  assert.deepEqual(delivered, [1, 2]);
  assert.equal(t.peak(), 1);
});

test('a failed put: the batches from it on go again one at a time, in order; each counts once', async () => {
  const t = scripted((n, attempt) => (n === 2 && attempt === 0 ? 'retriable' : 'ok'));
  const { puts, delivered } = pipeline(t.task, 4);
  for (const n of [1, 2, 3, 4]) await puts.submit(batch(n));
  t.release(4, 3, 1, 2);
  const drained = puts.drain();
  // The second round: 2, then 3, then 4, each after the one before resolved.
  for (const n of [2, 3, 4]) {
    while (!t.open.has(n)) await tick();
    assert.equal(t.open.size, 1, `only batch ${n} is in flight`);
    t.release(n);
  }
  assert.equal(await drained, true);
  assert.deepEqual(
    t.calls,
    [1, 2, 3, 4, 2, 3, 4],
    'batch 3 and 4 are written again after 2: at least once, in order',
  );
  assert.deepEqual(delivered, [1, 2, 3, 4]);
});

test('a refusal that is not tolerated fails the task without a second try', async () => {
  const t = scripted((n) => (n === 2 ? 'fatal' : 'ok'));
  const { puts, delivered } = pipeline(t.task, 4);
  for (const n of [1, 2, 3]) await puts.submit(batch(n));
  t.release(1, 2, 3);
  await assert.rejects(puts.drain(), /batch 2 refused/);
  assert.deepEqual(t.calls, [1, 2, 3]);
  assert.deepEqual(delivered, [1], 'batch 3 was written but does not count: its offset is not stored');
});

test('tolerated refusals go through the usual bad-record handling once the pipe is empty', async () => {
  const t = scripted((n) => (n === 2 ? 'fatal' : 'ok'));
  const { puts, delivered, errant } = pipeline(t.task, 4, { tolerance: 'all' });
  for (const n of [1, 2, 3]) await puts.submit(batch(n));
  const drained = puts.drain();
  let done = false;
  drained.finally(() => {
    done = true;
  });
  while (!done) {
    t.release(...t.open.keys());
    await tick();
  }
  assert.equal(await drained, true);
  assert.deepEqual(t.calls, [1, 2, 3, 2, 3]);
  assert.deepEqual(delivered, [1, 2, 3]);
  assert.equal(errant.stats.tolerated, 1, 'the refused record counts as bad, once');
});

test('a put that hangs fails the task at the call timeout', async () => {
  const t = scripted((n) => (n === 2 ? 'hang' : 'ok'));
  const { puts } = pipeline(t.task, 4, { timeoutMs: 50 });
  for (const n of [1, 2]) await puts.submit(batch(n));
  t.release(1);
  await assert.rejects(puts.drain(), /put/);
});

test('stopping: what finished in order counts, the rest does not, and nothing goes again', async () => {
  const t = scripted();
  const { puts, delivered, stop } = pipeline(t.task, 4);
  for (const n of [1, 2, 3]) await puts.submit(batch(n));
  t.release(1, 3);
  await tick();
  stop.abort();
  const drained = puts.drain();
  await tick();
  t.release(2);
  assert.equal(await drained, true);
  assert.deepEqual(delivered, [1, 2, 3]);
  assert.equal(await puts.submit(batch(4)), false);
  assert.deepEqual(t.calls, [1, 2, 3]);
});

test('a put that failed while the pipe had room: nothing new starts before it goes again', async () => {
  const t = scripted((n, attempt) => (n === 1 && attempt === 0 ? 'retriable' : 'ok'));
  const { puts, delivered } = pipeline(t.task, 4);
  await puts.submit(batch(1));
  t.release(1);
  await tick();
  // Batch 1 failed and nothing else is in flight: a task that writes calls in start order and
  // none after a failed one would write batch 2 now, before batch 1 — unless it is not called.
  const handed = puts.submit(batch(2));
  for (let i = 0; i < 20 && !t.open.has(1); i++) await tick();
  assert.deepEqual(t.calls, [1, 1], 'batch 1 goes again before batch 2 is handed over');
  t.release(1);
  assert.equal(await handed, true);
  while (!t.open.has(2)) await tick();
  t.release(2);
  assert.equal(await puts.drain(), true);
  assert.deepEqual(t.calls, [1, 1, 2]);
  assert.deepEqual(delivered, [1, 2]);
});
