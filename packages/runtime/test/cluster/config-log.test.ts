import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyConfigRecord,
  type ConfigOp,
  type ConfigRecord,
  emptyConfigState,
  isConfigRecord,
  replayConfigLog,
  snapshotOf,
} from '../../src/cluster/config-log.ts';

const op = (o: ConfigOp, id = 'x'): ConfigRecord => ({ kind: 'op', id, worker: 'w1', op: o });
const log = (...records: ConfigRecord[]) => records.map((value, i) => ({ offset: BigInt(i), value }));

test('operations are decided in log order: the first create wins, the second is a conflict', () => {
  const s = emptyConfigState();
  assert.deepEqual(applyConfigRecord(s, 0n, op({ type: 'create', name: 'a', config: { x: '1' } })), {
    ok: true,
  });
  const second = applyConfigRecord(s, 1n, op({ type: 'create', name: 'a', config: { x: '2' } }));
  assert.equal(second?.ok, false);
  assert.equal(s.connectors.get('a')?.config.x, '1');
  assert.equal(
    applyConfigRecord(s, 1n, op({ type: 'remove', name: 'a' })),
    undefined,
    'an old offset is not applied twice',
  );
  assert.equal(s.connectors.size, 1);
});

test('update, enable, disable, remove; a removed connector does not come back through an update', () => {
  const s = emptyConfigState();
  const steps: [ConfigOp, boolean][] = [
    [{ type: 'update', name: 'a', changes: {} }, false],
    [{ type: 'create', name: 'a', config: { x: '1', y: '1' } }, true],
    [{ type: 'update', name: 'a', changes: { y: '2' } }, true],
    [{ type: 'enable', name: 'a' }, false],
    [{ type: 'disable', name: 'a' }, true],
    [{ type: 'disable', name: 'a' }, false],
    [{ type: 'enable', name: 'a' }, true],
    [{ type: 'remove', name: 'a' }, true],
    [{ type: 'update', name: 'a', changes: { y: '3' } }, false],
    [{ type: 'remove', name: 'a' }, false],
  ];
  for (const [i, [o, ok]] of steps.entries())
    assert.equal(applyConfigRecord(s, BigInt(i), op(o))?.ok, ok, `${i}: ${o.type}`);
  assert.equal(s.connectors.has('a'), false);
});

test('any order of the same log gives every reader the same state', () => {
  const records: ConfigRecord[] = [];
  const names = ['a', 'b', 'c'];
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const types = ['create', 'update', 'enable', 'disable', 'remove'] as const;
  for (let i = 0; i < 500; i++) {
    const type = types[rnd(types.length)]!;
    const name = names[rnd(names.length)]!;
    records.push(
      op(
        type === 'create'
          ? { type, name, config: { v: String(i) } }
          : type === 'update'
            ? { type, name, changes: { v: String(i) } }
            : { type, name },
      ),
    );
  }
  const a = replayConfigLog(log(...records), { complete: true })!;
  const b = replayConfigLog(log(...records), { complete: true })!;
  assert.deepEqual([...a.connectors], [...b.connectors]);
});

test('a reader of a truncated log starts from the last snapshot and applies what came after its asOf', () => {
  const s = emptyConfigState();
  const full: ConfigRecord[] = [
    op({ type: 'create', name: 'a', config: { v: '1' } }),
    op({ type: 'create', name: 'b', config: { v: '1' } }),
  ];
  for (const [i, r] of full.entries()) applyConfigRecord(s, BigInt(i), r);
  const snap = snapshotOf(s); // asOf 1
  // Another worker's op landed between the snapshot's asOf and the snapshot itself.
  const tail: ConfigRecord[] = [
    op({ type: 'remove', name: 'a' }), // 2
    snap, // 3
    op({ type: 'update', name: 'b', changes: { v: '2' } }), // 4
  ];
  const all = log(...full, ...tail);
  const expected = replayConfigLog(all, { complete: true })!;
  const truncated = all.slice(2); // the broker deleted offsets 0 and 1
  const rebuilt = replayConfigLog(truncated, { complete: false })!;
  assert.deepEqual([...rebuilt.connectors], [...expected.connectors]);
  assert.equal(rebuilt.applied, 4n);
  assert.equal(replayConfigLog(all.slice(4), { complete: false }), undefined, 'no snapshot: unknown state');
});

test('records that are not ours are recognised', () => {
  assert.equal(isConfigRecord(op({ type: 'remove', name: 'a' })), true);
  assert.equal(isConfigRecord({ kind: 'snapshot', asOf: '1', connectors: {} }), true);
  for (const bad of [
    null,
    1,
    'x',
    {},
    { kind: 'op', op: { type: 'drop', name: 'a' } },
    { kind: 'op', op: {} },
  ])
    assert.equal(isConfigRecord(bad), false);
});
