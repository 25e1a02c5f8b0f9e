import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, retry, sleep } from '../src/backoff.ts';

test('backoff doubles from its first wait up to its cap, and starts again after a reset', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 500 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 500, 500]);
  b.reset();
  assert.equal(b.next(), 100);
});

test('sleep ends early when its signal aborts, and never rejects', async () => {
  const ac = new AbortController();
  const t0 = Date.now();
  const slept = sleep(10_000, ac.signal);
  setTimeout(() => ac.abort(), 20);
  await slept;
  assert.ok(Date.now() - t0 < 5000);
  await sleep(10_000, ac.signal);
});

test('retry: retriable errors are tried again within the time; others and the last one stand', async () => {
  let calls = 0;
  const ok = await retry(
    async () => {
      if (++calls < 3) throw Object.assign(new Error('busy'), { retriable: true });
      return 'done';
    },
    {
      policy: { initialMs: 5, maxMs: 10 },
      retriable: (e) => (e as { retriable?: boolean }).retriable === true,
      forMs: 5000,
    },
  );
  assert.equal(ok, 'done');
  assert.equal(calls, 3);
  await assert.rejects(
    retry(async () => Promise.reject(new Error('bad')), {
      policy: { initialMs: 5, maxMs: 10 },
      retriable: () => false,
      forMs: 5000,
    }),
    /bad/,
  );
  calls = 0;
  await assert.rejects(
    retry(
      async () => {
        calls++;
        throw new Error('still busy');
      },
      { policy: { initialMs: 20, maxMs: 20 }, retriable: () => true, forMs: 50 },
    ),
    /still busy/,
  );
  assert.ok(calls >= 2 && calls <= 4, `${calls} tries in 50 ms of 20 ms waits`);
});
