import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { IdleWait } from '../src/idle-wait.ts';

test('each wait lasts its time, the timer reused from one wait to the next', async () => {
  const idle = new IdleWait();
  const stop = new AbortController();
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await idle.wait(stop.signal, 30);
    const took = performance.now() - t0;
    assert.ok(took >= 25 && took < 500, `wait ${i} took ${took} ms`);
  }
  idle.close();
});

test('an abort ends the wait at once; later waits on that signal return at once', async () => {
  const idle = new IdleWait();
  const stop = new AbortController();
  const t0 = performance.now();
  const waiting = idle.wait(stop.signal, 60_000);
  setTimeout(() => stop.abort(), 10);
  await waiting;
  assert.ok(performance.now() - t0 < 1000);
  await idle.wait(stop.signal, 60_000);
  idle.close();
});

test('close ends a wait in progress and keeps no listener on the signal', async () => {
  const idle = new IdleWait();
  const stop = new AbortController();
  const waiting = idle.wait(stop.signal, 60_000);
  idle.close();
  await waiting;
  assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
});
