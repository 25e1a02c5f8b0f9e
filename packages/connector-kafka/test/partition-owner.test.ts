import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionOwner } from '../src/partition-owner.ts';

const owners = (topics: Record<string, number>, tasks: number) =>
  new Map(
    Object.entries(topics).flatMap(([t, n]) =>
      Array.from({ length: n }, (_, p) => [`${t}:${p}`, partitionOwner(t, p, tasks)] as const),
    ),
  );

test('partitions added to one topic move no partition of another, and none of its own', () => {
  const before = owners({ a: 4, b: 4, c: 4 }, 3);
  const after = owners({ a: 6, b: 4, c: 4 }, 3);
  for (const [k, task] of before) assert.equal(after.get(k), task, k);
});

test('every partition has one owner in range; a topic spreads evenly over the tasks', () => {
  const o = owners({ orders: 12, clicks: 7 }, 4);
  for (const task of o.values()) assert.ok(task >= 0 && task < 4);
  const perTask = [0, 0, 0, 0];
  for (let p = 0; p < 12; p++) perTask[partitionOwner('orders', p, 4)]!++;
  assert.deepEqual(perTask, [3, 3, 3, 3]);
  assert.equal(partitionOwner('x', 5, 0), 0, 'no tasks counts as one');
});
