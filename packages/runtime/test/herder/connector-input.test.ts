import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeTopics } from '../../src/herder/active-topics.ts';
import { changesOver, initialTarget, withoutNameKeys } from '../../src/herder/connector-input.ts';
import type { TaskInfo } from '../../src/herder/herder-api.ts';
import { configObject } from '../../src/http/config-param.ts';
import { applyOp } from '../../src/state/config-ops.ts';
import type { StoredConnector } from '../../src/state/stored-connector.ts';

test('config JSON: numbers and booleans are taken as text; null removes a key in changes only', () => {
  assert.deepEqual(configObject({ 'tasks.max': 2, 'a.b': true, x: 'y', gone: null }), {
    'tasks.max': '2',
    'a.b': 'true',
    x: 'y',
  });
  assert.deepEqual(configObject({ gone: null, n: 1.5 }, 'changes'), { gone: '', n: '1.5' });
  assert.throws(() => configObject({ nested: { a: 1 } }), /strings, numbers or booleans.*nested/);
  assert.throws(() => configObject({ list: [1] }), /list/);
  assert.throws(() => configObject([]), /JSON object/);
});

test("name and connectorName in a config must match the connector's name, and are not stored", () => {
  assert.deepEqual(withoutNameKeys('c1', { name: 'c1', connectorName: 'c1', a: 'b' }), { a: 'b' });
  assert.throws(
    () => withoutNameKeys('c1', { name: 'c2' }),
    /name "c2" does not match the connector's name "c1"/,
  );
});

test("a key given under one of a field's names replaces its other names", () => {
  const spec = { fields: [{ name: 'topics', type: 'list' as const, doc: '', aliases: ['topicNames'] }] };
  assert.deepEqual(
    changesOver(spec, { 'tasks.max': '1', topicNames: 'a' }, { 'tasks.num': '3', topics: 'b' }),
    {
      'tasks.num': '3',
      'tasks.max': '',
      topics: 'b',
      topicNames: '',
    },
  );
  assert.deepEqual(changesOver(spec, { 'tasks.num': '1' }, { 'tasks.num': '2' }), { 'tasks.num': '2' });
});

test('initial_state: RUNNING, PAUSED or STOPPED', () => {
  assert.equal(initialTarget(undefined), 'STARTED');
  assert.equal(initialTarget('RUNNING'), 'STARTED');
  assert.equal(initialTarget('PAUSED'), 'PAUSED');
  assert.equal(initialTarget('STOPPED'), 'STOPPED');
  assert.throws(() => initialTarget('running'), /initial_state must be/);
});

test('ops: create in a target state; an emptied key is gone; a topics reset keeps the rest', () => {
  const all = new Map<string, StoredConnector>();
  assert.deepEqual(
    applyOp(all, { type: 'create', name: 'c', config: { a: '1', b: '2' }, target: 'PAUSED' }),
    {
      ok: true,
    },
  );
  assert.equal(all.get('c')!.target, 'PAUSED');
  applyOp(all, { type: 'update', name: 'c', changes: { b: '' } });
  assert.deepEqual(all.get('c')!.config, { a: '1' });
  applyOp(all, { type: 'reset-topics', name: 'c', at: 5 });
  assert.equal(all.get('c')!.topicsResetAt, 5);
  assert.equal(all.get('c')!.revision, 1, 'not a config change');
});

test('active topics: those used after the last reset, from every task', () => {
  const task = (topics: Record<string, number>): TaskInfo => ({
    id: 0,
    config: {},
    workerId: 'w',
    status: { state: 'RUNNING', topics },
  });
  const tasks = [task({ a: 10, b: 3 }), task({ c: 7 })];
  assert.deepEqual(activeTopics({ config: {}, target: 'STARTED' }, tasks), ['a', 'b', 'c']);
  assert.deepEqual(activeTopics({ config: {}, target: 'STARTED', topicsResetAt: 5 }, tasks), ['a', 'c']);
});
