import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rebalanceSummary } from '../../src/cluster/rebalance-summary.ts';

test('a rebalance summary: members, leader, and the tasks this worker gained and lost', () => {
  const before = { members: ['w1', 'w2'], tasks: { a: ['w1', 'w2'], b: ['w1'] } };
  const after = { members: ['w1', 'w2', 'w3'], tasks: { a: ['w3', 'w2'], b: ['w1'], c: ['w1', 'w3'] } };
  assert.deepEqual(rebalanceSummary(before, after, 'w1'), {
    members: ['w1', 'w2', 'w3'],
    leader: 'w1',
    tasks: 5,
    here: 2,
    gained: ['c-0'],
    lost: ['a-0'],
  });
  assert.deepEqual(rebalanceSummary(undefined, after, 'w3').gained, ['a-0', 'c-1']);
});
