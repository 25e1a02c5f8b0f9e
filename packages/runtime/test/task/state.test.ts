import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TaskStateMachine } from '../../src/task/state.ts';
import { ConnectorTimeoutError, withTimeout } from '../../src/task/timeout.ts';

test('task states: allowed and refused transitions; FAILED keeps the trace', () => {
  const m = new TaskStateMachine();
  const seen: string[] = [];
  m.onChange((s) => seen.push(s.state));
  assert.equal(m.to('PAUSED'), false, 'cannot pause what never ran');
  assert.equal(m.to('RUNNING'), true);
  assert.equal(m.to('PAUSED'), true);
  assert.equal(m.to('RUNNING'), true);
  assert.equal(m.to('FAILED', new Error('boom', { cause: new Error('root') })), true);
  assert.match(m.status.trace ?? '', /Error: boom[\s\S]*Caused by: Error: root/);
  assert.equal(m.to('RUNNING'), false, 'a failed task is restarted as a new task, not resumed');
  assert.equal(m.to('STOPPED'), true);
  assert.equal(m.to('RUNNING'), false);
  assert.deepEqual(seen, ['RUNNING', 'PAUSED', 'RUNNING', 'FAILED', 'STOPPED']);
});

test('withTimeout bounds a hung call, passes results and errors through', async () => {
  await assert.rejects(
    withTimeout('poll', 50, () => new Promise(() => {})),
    ConnectorTimeoutError,
  );
  assert.equal(await withTimeout('x', 1000, () => 42), 42);
  await assert.rejects(
    withTimeout('x', 1000, () => {
      throw new Error('sync throw');
    }),
    /sync throw/,
  );
});
