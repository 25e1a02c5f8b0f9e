import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoalescedSave } from '../../src/stores/coalesced-save.ts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counting(slowMs = 0) {
  const saved: number[] = [];
  let state = 0;
  const errors: unknown[] = [];
  const save = new CoalescedSave(
    async () => {
      const at = state;
      await wait(slowMs);
      saved.push(at);
    },
    20,
    (e) => errors.push(e),
  );
  return {
    save,
    saved,
    errors,
    change: () => {
      state++;
      save.changed();
    },
  };
}

test('many changes within the interval make one save, of the latest state', async () => {
  const c = counting();
  for (let i = 0; i < 100; i++) c.change();
  assert.deepEqual(c.saved, [], 'nothing saved at once');
  await wait(60);
  assert.deepEqual(c.saved, [100]);
});

test('a change while a save runs makes one more save after it, never two at once', async () => {
  const c = counting(40);
  c.change();
  await wait(30); // the first save runs
  c.change();
  c.change();
  await wait(150);
  assert.deepEqual(c.saved, [1, 3]);
});

test('flush saves what is pending at once, and nothing when all is saved', async () => {
  const c = counting();
  c.change();
  await c.save.flush();
  assert.deepEqual(c.saved, [1]);
  await c.save.flush();
  await wait(40);
  assert.deepEqual(c.saved, [1], 'the cancelled timer saves nothing more');
});

test('a failed save goes to onError; the next change saves again', async () => {
  const errors: unknown[] = [];
  let fail = true;
  const saved: string[] = [];
  const save = new CoalescedSave(
    async () => {
      if (fail) throw new Error('disk full');
      saved.push('ok');
    },
    10,
    (e) => errors.push(e),
  );
  save.changed();
  await wait(30);
  assert.match(String(errors[0]), /disk full/);
  fail = false;
  save.changed();
  await wait(30);
  assert.deepEqual(saved, ['ok']);
});
