import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyStoreRecord, ReplicatedStore, type StoreRecord } from '../../src/cluster/replicated-store.ts';
import type { LogEntry, TopicLog } from '../../src/cluster/topic-log.ts';
import { MemoryStore } from '../../src/stores/memory-store.ts';

test('fences: writes of an older epoch that come after a fence are refused; later epochs pass', () => {
  const entries = new Map<string, number>();
  const fences = new Map<string, bigint>();
  const put = (epoch: number, v: number): StoreRecord<number> => ({
    kind: 'put',
    connector: 'c',
    epoch: String(epoch),
    entries: [['k', v]],
  });
  assert.equal(applyStoreRecord(entries, fences, put(5, 1)), 'applied');
  assert.equal(applyStoreRecord(entries, fences, { kind: 'fence', connector: 'c', epoch: '9' }), 'applied');
  assert.equal(applyStoreRecord(entries, fences, put(5, 2)), 'refused', 'a woken stale writer');
  assert.equal(entries.get('k'), 1);
  assert.equal(applyStoreRecord(entries, fences, put(9, 3)), 'applied');
  assert.equal(applyStoreRecord(entries, fences, { kind: 'fence', connector: 'c', epoch: '7' }), 'applied');
  assert.equal(fences.get('c'), 9n, 'a fence never lowers');
  assert.equal(
    applyStoreRecord(entries, fences, {
      kind: 'put',
      connector: 'other',
      epoch: '0',
      entries: [['k', null]],
    }),
    'applied',
  );
  assert.equal(entries.has('k'), false, 'null deletes');
  for (const junk of [null, 1, {}, { kind: 'put', connector: 'c', epoch: 'x', entries: [] }])
    assert.equal(applyStoreRecord(entries, fences, junk as never), 'ignored');
});

/** An in-memory stand-in for a topic whose oldest records the broker has deleted. */
function truncatedLog(records: StoreRecord<number>[], min: number): TopicLog<unknown> {
  let next = 0n;
  const all = records.map((value, i) => ({ offset: BigInt(i), value }));
  return {
    topic: 'positions',
    get position() {
      return next;
    },
    minOffset: async () => BigInt(min),
    endOffset: async () => BigInt(all.length),
    seek: (o: bigint) => {
      next = o;
    },
    readToEnd: async (apply: (e: LogEntry<unknown>) => void) => {
      for (const e of all) if (e.offset >= next && e.offset >= BigInt(min)) apply(e);
      next = BigInt(all.length);
    },
    follow: () => {},
    stop: async () => {},
    append: async () => 0n,
  } as unknown as TopicLog<unknown>;
}

test('an empty worker on a truncated log starts from the last snapshot plus what followed its asOf', async () => {
  const put = (epoch: number, k: string, v: number): StoreRecord<number> => ({
    kind: 'put',
    connector: 'c',
    epoch: String(epoch),
    entries: [[k, v]],
  });
  const records: StoreRecord<number>[] = [
    put(1, 'a', 1), // 0: deleted by the broker
    put(1, 'b', 1), // 1: deleted
    put(1, 'a', 2), // 2: after the snapshot's asOf (1), before the snapshot itself
    { kind: 'snapshot', asOf: '1', entries: { a: 1, b: 1 }, fences: { c: '1' } }, // 3
    put(1, 'b', 5), // 4
  ];
  const store = new ReplicatedStore<number>(truncatedLog(records, 2), new MemoryStore());
  await store.open();
  assert.deepEqual([...store.entries()].sort(), [
    ['a', 2],
    ['b', 5],
  ]);
  assert.equal(store.fenceOf('c'), 1n);
  const errors: unknown[] = [];
  const lost = new ReplicatedStore<number>(truncatedLog(records.slice(0, 3), 2), new MemoryStore(), (e) =>
    errors.push(e),
  );
  await lost.open();
  assert.match(String(errors[0]), /no snapshot is left/);
});
