import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Assignment, assignmentAfter, assignmentChange } from '../../src/cluster/assignment-record.ts';

const cfg = (name: string, n: number) => Array.from({ length: n }, (_, i) => ({ name, task: String(i) }));

test('a record carries the whole placement and only the task configs that changed', () => {
  const current: Assignment = {
    members: ['w1', 'w2'],
    tasks: { a: ['w1'], b: ['w2', 'w1'] },
    configs: { a: cfg('a', 1), b: cfg('b', 2) },
  };
  // c created: placement changes, only c's configs travel.
  const next: Assignment = {
    members: ['w1', 'w2'],
    tasks: { a: ['w1'], b: ['w2', 'w1'], c: ['w2'] },
    configs: { a: cfg('a', 1), b: cfg('b', 2), c: cfg('c', 1) },
  };
  const change = assignmentChange(current, next)!;
  assert.deepEqual(change, {
    assignment: { members: next.members, tasks: next.tasks },
    configChanges: { c: cfg('c', 1) },
  });
  assert.deepEqual(assignmentAfter(current, change), next);
  assert.equal(assignmentChange(next, next), undefined, 'nothing changed: no record');
});

test('configs that change in place travel alone; removed connectors drop theirs', () => {
  const current: Assignment = {
    members: ['w1'],
    tasks: { a: ['w1'], b: ['w1'] },
    configs: { a: cfg('a', 1), b: cfg('b', 1) },
  };
  const changedA = { ...current, configs: { a: [{ name: 'a', task: '0', x: 'y' }], b: cfg('b', 1) } };
  const change = assignmentChange(current, changedA)!;
  assert.deepEqual(change.configChanges, { a: [{ name: 'a', task: '0', x: 'y' }] });
  assert.deepEqual(assignmentAfter(current, change), changedA);

  const withoutB: Assignment = { members: ['w1'], tasks: { a: ['w1'] }, configs: { a: cfg('a', 1) } };
  const removal = assignmentChange(current, withoutB)!;
  assert.deepEqual(removal.configChanges, {});
  assert.deepEqual(assignmentAfter(current, removal), withoutB);
});

test('the first record, and records of older workers (whole configs), read as before', () => {
  const first: Assignment = { members: ['w1'], tasks: { a: ['w1'] }, configs: { a: cfg('a', 1) } };
  const change = assignmentChange(undefined, first)!;
  assert.deepEqual(assignmentAfter(undefined, change), first);
  // A worker from before configChanges wrote the whole assignment, configs included.
  const old: Assignment = { members: ['w2'], tasks: { b: ['w2'] }, configs: { b: cfg('b', 1) } };
  assert.deepEqual(assignmentAfter(first, { assignment: old }), old);
  // And one with no configs at all: nothing to show, nothing invented.
  assert.deepEqual(assignmentAfter(first, { assignment: { members: ['w2'], tasks: { b: ['w2'] } } }), {
    members: ['w2'],
    tasks: { b: ['w2'] },
  });
});
