import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionKey } from '../../src/records/keys.ts';
import { PositionTracker } from '../../src/source/position-tracker.ts';

const p0 = { topic: 'a', partition: 0 };
const p1 = { topic: 'a', partition: 1 };

test('positions never pass an unacknowledged record (out-of-order acks)', () => {
  const t = new PositionTracker();
  const s = [1, 2, 3, 4].map((o) => t.submit(p0, { offset: o }));
  t.ack(s[1]!);
  t.ack(s[3]!);
  assert.deepEqual(t.takeCommittable(), [], 'record 1 is still in flight');
  t.ack(s[0]!);
  assert.deepEqual(t.takeCommittable(), [{ partition: p0, position: { offset: 2 } }], 'up to the gap at 3');
  assert.deepEqual(t.takeCommittable(), [], 'nothing new');
  t.ack(s[2]!);
  assert.deepEqual(t.takeCommittable(), [{ partition: p0, position: { offset: 4 } }]);
  assert.equal(t.inFlight, 0);
});

test('partitions advance independently', () => {
  const t = new PositionTracker();
  const a = t.submit(p0, { offset: 10 });
  const b = t.submit(p1, { offset: 20 });
  t.submit(p0, { offset: 11 });
  t.ack(b);
  assert.deepEqual(t.takeCommittable(), [{ partition: p1, position: { offset: 20 } }]);
  t.ack(a);
  assert.deepEqual(t.takeCommittable(), [{ partition: p0, position: { offset: 10 } }]);
  assert.equal(t.inFlight, 1);
});

test('repeated and unknown acks change nothing; restore re-offers a position after a failed store', () => {
  const t = new PositionTracker();
  const a = t.submit(p0, { offset: 1 });
  t.ack(a);
  t.ack(a);
  t.ack(999);
  const taken = t.takeCommittable();
  assert.deepEqual(taken, [{ partition: p0, position: { offset: 1 } }]);
  t.restore(taken);
  assert.deepEqual(t.takeCommittable(), taken);
});

test('a long stream acked in random order ends fully committed and compacts', () => {
  const t = new PositionTracker();
  const seqs = Array.from({ length: 10_000 }, (_, i) => t.submit(p0, { offset: i }));
  let max = -1;
  const shuffled = [...seqs].sort(() => Math.random() - 0.5);
  const acked = new Set<number>();
  for (const s of shuffled) {
    t.ack(s);
    acked.add(s);
    for (const { position } of t.takeCommittable()) {
      const offset = Number(position.offset);
      assert.ok(offset > max, 'monotonic');
      for (let i = 0; i <= offset; i++)
        assert.ok(acked.has(seqs[i]!), `committed ${offset} past unacked ${i}`);
      max = offset;
    }
  }
  assert.equal(max, 9999);
});

test('partition keys ignore key order', () => {
  assert.equal(partitionKey({ a: 1, b: 'x' }), partitionKey({ b: 'x', a: 1 }));
  assert.notEqual(partitionKey({ a: 1 }), partitionKey({ a: '1' }));
});
