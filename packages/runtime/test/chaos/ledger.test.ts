import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochRegressions, type ReadRecord, tally } from './ledger.ts';

const rec = (place: string, offset: number, seq: number, epoch?: number): ReadRecord => ({
  place,
  offset: BigInt(offset),
  seq,
  connector: 'c',
  ...(epoch === undefined ? {} : { epoch: BigInt(epoch) }),
});

test('an older epoch after a newer one in the same place is a regression; other places do not count', () => {
  const far = [
    rec('q0', 0, 1, 5),
    rec('q0', 1, 2, 9),
    rec('q0', 2, 3, 5),
    rec('q1', 0, 4, 5),
    rec('q0', 3, 5, 9),
  ];
  assert.deepEqual(
    epochRegressions(far).map((r) => [r.record.seq, r.after.seq]),
    [[3, 2]],
  );
  // Offsets, not read order, decide.
  assert.deepEqual(epochRegressions([rec('q0', 1, 2, 9), rec('q0', 0, 1, 5)]), []);
});

test('lost, duplicated and regressions land in the scenario the record was fed in', () => {
  const ledger = {
    scenarios: ['a', 'b'],
    scenarioOf: (seq: number) => (seq < 10 ? 0 : 1),
    acked: [1, 2, 3, 11, 12],
  };
  const input = [
    rec('i', 0, 1),
    rec('i', 1, 2),
    rec('i', 2, 2),
    rec('i', 3, 3),
    rec('i', 4, 11),
    rec('i', 5, 12),
  ];
  // 2 was fed twice (a feeder retry): two copies are not a duplicate; 11 three times is two.
  const far = [
    rec('q', 0, 1, 1),
    rec('q', 1, 2, 1),
    rec('q', 2, 2, 1),
    rec('q', 3, 11, 3),
    rec('q', 4, 11, 3),
    rec('q', 5, 11, 2),
    rec('q', 6, 3, 3),
  ];
  assert.deepEqual(tally(ledger, input, far), [
    { scenario: 'a', fed: 3, lost: 0, duplicated: 0, epochRegressions: 0 },
    { scenario: 'b', fed: 2, lost: 1, duplicated: 2, epochRegressions: 1 },
  ]);
});
