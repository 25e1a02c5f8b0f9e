import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOp, keepsTasks } from '../../src/state/config-ops.ts';
import { normalizeStored, type StoredConnector } from '../../src/state/stored-connector.ts';
import { connectorState, restartPlan } from '../../src/task/connector-status.ts';

test('connector state: STOPPED by target, FAILED by its instance, PAUSED by target or task, else RUNNING', () => {
  const running = [{ state: 'RUNNING' as const }];
  assert.equal(connectorState('STOPPED', 'boom', running), 'STOPPED');
  assert.equal(connectorState('STARTED', 'boom', running), 'FAILED');
  assert.equal(
    connectorState('PAUSED', undefined, running),
    'PAUSED',
    'the target decides before the tasks report',
  );
  assert.equal(connectorState('STARTED', undefined, [{ state: 'PAUSED' }]), 'PAUSED');
  assert.equal(
    connectorState('STARTED', undefined, [{ state: 'FAILED' }]),
    'RUNNING',
    'task failures show on tasks',
  );
  assert.equal(connectorState('STARTED', undefined, []), 'RUNNING');
});

test('restart plans: Kafka Connect’s includeTasks and onlyFailed', () => {
  const tasks = [
    { id: 0, state: 'RUNNING' as const },
    { id: 1, state: 'FAILED' as const },
  ];
  assert.deepEqual(restartPlan(undefined, tasks, {}), { instance: true, tasks: [] });
  assert.deepEqual(restartPlan(undefined, tasks, { includeTasks: true }), { instance: true, tasks: [0, 1] });
  assert.deepEqual(restartPlan(undefined, tasks, { onlyFailed: true }), { instance: false, tasks: [] });
  assert.deepEqual(restartPlan('boom', tasks, { onlyFailed: true, includeTasks: true }), {
    instance: true,
    tasks: [1],
  });
});

test('target states through applyOp; which operations keep the running tasks', () => {
  const m = new Map<string, StoredConnector>();
  const target = () => m.get('a')?.target;
  assert.deepEqual(applyOp(m, { type: 'create', name: 'a', config: {} }), { ok: true });
  assert.equal(target(), 'STARTED');
  applyOp(m, { type: 'pause', name: 'a' });
  assert.equal(target(), 'PAUSED');
  assert.equal(applyOp(m, { type: 'enable', name: 'a' }).ok, false, 'a paused connector is enabled already');
  const before = m.get('a');
  applyOp(m, { type: 'resume', name: 'a' });
  assert.equal(keepsTasks({ type: 'resume', name: 'a' }, before), true);
  applyOp(m, { type: 'disable', name: 'a' });
  assert.equal(target(), 'STOPPED');
  assert.equal(
    keepsTasks({ type: 'resume', name: 'a' }, m.get('a')),
    false,
    'resuming a stopped one starts tasks',
  );
  applyOp(m, { type: 'pause', name: 'a' });
  assert.equal(target(), 'STOPPED', 'pausing a stopped connector leaves it stopped');
  assert.equal(applyOp(m, { type: 'restart', name: 'a' }).ok, false);
  applyOp(m, { type: 'enable', name: 'a' });
  assert.equal(target(), 'STARTED');
  assert.equal(keepsTasks({ type: 'update', name: 'a', changes: {} }, m.get('a')), false);
});

test('records stored before target states read as such', () => {
  assert.deepEqual(normalizeStored({ config: { a: '1' }, enabled: true }), {
    config: { a: '1' },
    target: 'STARTED',
  });
  assert.deepEqual(normalizeStored({ config: {}, enabled: true, paused: true }), {
    config: {},
    target: 'PAUSED',
  });
  assert.deepEqual(normalizeStored({ config: {}, enabled: false, paused: true }), {
    config: {},
    target: 'STOPPED',
  });
  assert.deepEqual(normalizeStored({ config: {}, target: 'PAUSED' }), { config: {}, target: 'PAUSED' });
});
