import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assign, consistentHash, roundRobin, type TaskRef, taskId } from '../../src/cluster/assignor.ts';

const tasks = (n: number, connectors = 5): TaskRef[] =>
  Array.from({ length: n }, (_, i) => ({
    connector: `c${i % connectors}`,
    task: Math.floor(i / connectors),
  }));

const counts = (m: Map<string, string>) => {
  const out = new Map<string, number>();
  for (const w of m.values()) out.set(w, (out.get(w) ?? 0) + 1);
  return out;
};

test('both assignors are deterministic whatever the input order; duplicates are ignored', () => {
  const ts = tasks(50);
  for (const name of ['round-robin', 'consistent-hash'] as const) {
    const a = assign(name, ['w2', 'w1', 'w3'], ts);
    const b = assign(name, ['w3', 'w1', 'w2', 'w1'], [...ts].reverse().concat(ts.slice(0, 5)));
    assert.deepEqual([...a].sort(), [...b].sort());
    assert.equal(a.size, 50);
  }
  assert.equal(roundRobin([], tasks(3)).size, 0);
  assert.equal(consistentHash(['w1'], []).size, 0);
  assert.throws(() => assign('random' as never, ['w1'], []), /unknown task assignor "random"/);
});

test('round-robin: sorted tasks dealt over sorted workers; counts differ by at most one', () => {
  const m = roundRobin(
    ['b', 'a'],
    [
      { connector: 'y', task: 0 },
      { connector: 'x', task: 1 },
      { connector: 'x', task: 0 },
    ],
  );
  assert.deepEqual(
    [...m],
    [
      ['x/0', 'a'],
      ['x/1', 'b'],
      ['y/0', 'a'],
    ],
  );
  const c = counts(roundRobin(['w1', 'w2', 'w3', 'w4'], tasks(103)));
  assert.ok(Math.max(...c.values()) - Math.min(...c.values()) <= 1);
});

test('consistent hashing: a new worker takes about 1/n of the tasks, and only it gains any', () => {
  const ts = tasks(200);
  const before = consistentHash(['w1', 'w2', 'w3'], ts);
  const after = consistentHash(['w1', 'w2', 'w3', 'w4'], ts);
  const moved = ts.map(taskId).filter((t) => before.get(t) !== after.get(t));
  for (const t of moved) assert.equal(after.get(t), 'w4', `${t} moved to the new worker`);
  assert.ok(moved.length > 20 && moved.length < 100, `moved ${moved.length} of 200`);
  // A worker leaving: only its tasks move.
  const without = consistentHash(['w1', 'w3', 'w4'], ts);
  for (const t of ts.map(taskId)) if (after.get(t) !== 'w2') assert.equal(without.get(t), after.get(t));
  const rr = roundRobin(['w1', 'w2', 'w3', 'w4'], ts);
  const rrMoved = ts
    .map(taskId)
    .filter((t) => roundRobin(['w1', 'w2', 'w3'], ts).get(t) !== rr.get(t)).length;
  process.stdout.write(
    `# 3 → 4 workers, 200 tasks: consistent hashing moves ${moved.length}, round-robin ${rrMoved}\n`,
  );
});

test('consistent hashing balances roughly: 300 tasks over 3 workers', () => {
  const c = counts(consistentHash(['w1', 'w2', 'w3'], tasks(300, 30)));
  assert.equal(c.size, 3);
  const ratio = Math.max(...c.values()) / Math.min(...c.values());
  assert.ok(ratio < 2, `max/min ${ratio.toFixed(2)}: ${JSON.stringify([...c])}`);
});
