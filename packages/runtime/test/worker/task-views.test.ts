import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskReport } from '../../src/cluster/member-records.ts';
import { ReportIndex, taskViews } from '../../src/worker/task-views.ts';

const report = (task: number, state: string, extra: Partial<TaskReport> = {}): TaskReport => ({
  connector: 'c',
  task,
  state,
  generation: '1',
  ...extra,
});

test("this worker's own tasks show as they are now; others' as last heard", () => {
  const heard = [
    { workerId: 'w1', tasks: [report(0, 'RUNNING', { errors: { tolerated: 1, deadLettered: 1 } })] },
    { workerId: 'w2', tasks: [report(1, 'RUNNING'), report(0, 'UNASSIGNED', { connector: 'other' })] },
  ];
  const own = {
    workerId: 'w1',
    tasks: [report(0, 'RUNNING', { errors: { tolerated: 6, deadLettered: 6 } })],
  };
  const { tasks } = taskViews('c', ['w1', 'w2', 'w3'], heard, own);
  assert.deepEqual(
    tasks.map((t) => [t.id, t.workerId, t.status.state, t.status.errors?.tolerated]),
    [
      [0, 'w1', 'RUNNING', 6],
      [1, 'w2', 'RUNNING', undefined],
      [2, 'w3', 'UNASSIGNED', undefined],
    ],
  );
});

test('a task this worker still stops shows as its new owner reports it', () => {
  const heard = [{ workerId: 'w2', tasks: [report(0, 'RUNNING')] }];
  const own = { workerId: 'w1', tasks: [report(0, 'FAILED', { trace: 'stopping' })] };
  const { tasks } = taskViews('c', ['w2'], heard, own);
  assert.equal(tasks[0]!.workerId, 'w2');
  assert.equal(tasks[0]!.status.state, 'RUNNING');
});

test("the leader's count failure is the connector's failure", () => {
  const own = { workerId: 'w1', tasks: [report(-1, 'FAILED', { trace: 'taskConfigs threw' })] };
  assert.equal(taskViews('c', [], [], own).failedTrace, 'taskConfigs threw');
});

test('the report index gives each connector the views the whole reports give, built once per turn', async () => {
  const heard = [
    { workerId: 'w1', tasks: [report(0, 'RUNNING'), report(0, 'PAUSED', { connector: 'd' })] },
    {
      workerId: 'w2',
      tasks: [report(1, 'FAILED', { trace: 'boom' }), report(1, 'RUNNING', { connector: 'd' })],
    },
  ];
  const own = { workerId: 'w1', tasks: [report(0, 'RUNNING'), report(0, 'PAUSED', { connector: 'd' })] };
  let builds = 0;
  const index = new ReportIndex(
    () => {
      builds++;
      return heard;
    },
    () => own,
  );
  for (const name of ['c', 'd', 'none']) {
    const { heard: h, own: o } = index.of(name);
    assert.deepEqual(taskViews(name, ['w1', 'w2'], h, o), taskViews(name, ['w1', 'w2'], heard, own), name);
  }
  assert.equal(builds, 1, 'one synchronous run reads the reports once');
  await Promise.resolve();
  index.of('c');
  assert.equal(builds, 2, 'a later turn reads them afresh');
});
