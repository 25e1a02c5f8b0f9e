import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { type AssignmentBody, assignmentAfter } from '../../src/cluster/assignment-record.ts';
import type { Assignment } from '../../src/cluster/config-log.ts';
import { Coordinator, type LocalTasks } from '../../src/cluster/coordinator.ts';
import type { Member, TaskReport } from '../../src/cluster/member-records.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { StoredConnector, TargetState } from '../../src/state/stored-connector.ts';

// The coordinator's decisions over fake config and membership views: who leads, what gets
// assigned, when a hand-over may start, what a lost lease does. The real ones run in the
// distributed tests on brokers; these pin the rules down one by one.

class FakeConfig extends EventEmitter<{ change: [] }> {
  connectors = new Map<string, StoredConnector>();
  assignment: Assignment | undefined;
  epochs = new Map<string, bigint>();
  written: AssignmentBody[] = [];
  snapshotWriter = false;
  #offset = 100n;
  epochOf(name: string): bigint | undefined {
    return this.epochs.get(name);
  }
  async assign(body: AssignmentBody): Promise<void> {
    this.written.push(body);
    const a = assignmentAfter(this.assignment, body);
    // As the config log does when it reads the record back: new placements get new epochs.
    this.#offset++;
    for (const name of Object.keys(a.tasks))
      if (JSON.stringify(a.tasks[name]) !== JSON.stringify(this.assignment?.tasks[name]))
        this.epochs.set(name, this.#offset);
    this.assignment = a;
  }
}

class FakeMembership extends EventEmitter<{ change: [Member[]] }> {
  lease = true;
  live: string[] = [];
  taskReports: { workerId: string; tasks: TaskReport[]; applied?: bigint }[] = [];
  leaseValid = () => this.lease;
  members = (): Member[] =>
    [...this.live].sort().map((workerId) => ({ workerId, url: '', clientId: `${workerId}@` }));
  reports = () => this.taskReports;
  check() {}
}

function setup(
  workerId = 'w1',
  taskCount = async (_n: string, stored: StoredConnector) => Number(stored.config['tasks.num'] ?? 1),
  taskConfigs = async (n: string, stored: StoredConnector) =>
    Array.from({ length: await taskCount(n, stored) }, (_, i) => ({ task: String(i) })),
) {
  const config = new FakeConfig();
  const membership = new FakeMembership();
  const started: { name: string; epoch: bigint; tasks: number[] }[] = [];
  const targets: TargetState[] = [];
  let stops = 0;
  const coordinator = new Coordinator({
    workerId,
    config,
    membership,
    assignor: 'round-robin',
    taskConfigs,
    start: async (name, _stored, epoch, tasks): Promise<LocalTasks> => {
      started.push({ name, epoch, tasks: [...tasks].sort() });
      return {
        epoch,
        tasks,
        setTarget: (t) => targets.push(t),
        stop: async () => {
          stops++;
        },
      };
    },
    reported: () => {},
    logger: silentLogger,
    tickMs: 60_000,
  });
  const step = async () => {
    coordinator.poke();
    // A step is queued behind the previous one; two pokes' worth of turns settles it.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return { config, membership, coordinator, started, targets, step, stops: () => stops };
}

const connector = (tasks: number, target: TargetState = 'STARTED'): StoredConnector => ({
  config: { 'tasks.num': String(tasks) },
  target,
});

test('the first live worker leads: it writes the assignment; others only follow it', async () => {
  const lead = setup('w1');
  lead.membership.live = ['w1', 'w2'];
  lead.config.connectors.set('a', connector(3));
  await lead.step();
  assert.deepEqual(lead.config.written, [
    {
      assignment: { members: ['w1', 'w2'], tasks: { a: ['w1', 'w2', 'w1'] } },
      // The task configs go with it: any worker shows them (GET …/tasks).
      configChanges: { a: [{ task: '0' }, { task: '1' }, { task: '2' }] },
    },
  ]);
  assert.deepEqual(lead.config.assignment?.configs, { a: [{ task: '0' }, { task: '1' }, { task: '2' }] });
  assert.deepEqual(lead.started, [{ name: 'a', epoch: 101n, tasks: [0, 2] }]);
  assert.equal(lead.config.snapshotWriter, true);
  await lead.step();
  assert.equal(lead.config.written.length, 1, 'an unchanged assignment is not written again');

  const follower = setup('w2');
  follower.membership.live = ['w1', 'w2'];
  follower.config.connectors.set('a', connector(3));
  follower.config.assignment = lead.config.assignment;
  follower.config.epochs.set('a', 101n);
  await follower.step();
  assert.deepEqual(follower.config.written, []);
  assert.deepEqual(follower.started, [{ name: 'a', epoch: 101n, tasks: [1] }]);
  await lead.coordinator.stop();
  await follower.coordinator.stop();
});

test('stopped connectors get no tasks; a paused one starts paused and follows its target', async () => {
  const s = setup();
  s.membership.live = ['w1'];
  s.config.connectors.set('off', connector(2, 'STOPPED'));
  s.config.connectors.set('p', connector(1, 'PAUSED'));
  await s.step();
  assert.deepEqual(s.config.written.at(-1)?.assignment.tasks, { p: ['w1'] });
  assert.deepEqual(
    s.started.map((x) => x.name),
    ['p'],
  );
  assert.deepEqual(s.targets, ['PAUSED']);
  s.config.connectors.set('p', connector(1, 'STARTED'));
  await s.step();
  assert.deepEqual(s.targets, ['PAUSED', 'STARTED'], 'resumed in place: same epoch, no restart');
  assert.equal(s.stops(), 0);
  await s.coordinator.stop();
});

test('hand-over: new tasks wait while a live worker still reports the connector under another epoch', async () => {
  const s = setup('w2');
  s.membership.live = ['w1', 'w2'];
  s.config.connectors.set('a', connector(2));
  s.config.assignment = { members: ['w1', 'w2'], tasks: { a: ['w1', 'w2'] } };
  s.config.epochs.set('a', 200n);
  s.membership.taskReports = [
    { workerId: 'w1', tasks: [{ connector: 'a', task: 1, state: 'RUNNING', generation: '150' }] },
  ];
  await s.step();
  assert.deepEqual(s.started, [], 'w1 still runs task 1 under epoch 150');
  s.membership.taskReports = [
    { workerId: 'w1', tasks: [{ connector: 'a', task: 0, state: 'RUNNING', generation: '200' }] },
  ];
  await s.step();
  assert.deepEqual(s.started, [{ name: 'a', epoch: 200n, tasks: [1] }]);
  await s.coordinator.stop();
});

test('hand-over: a report made before the epoch holds the start back, though it lists nothing', async () => {
  // w1 may have started tasks under the epoch before, just after it sent that report: found by
  // the chaos suite as two owners for a moment (epoch 13 written after epoch 14).
  const s = setup('w2');
  s.membership.live = ['w1', 'w2'];
  s.config.connectors.set('a', connector(2));
  s.config.assignment = { members: ['w1', 'w2'], tasks: { a: ['w1', 'w2'] } };
  s.config.epochs.set('a', 200n);
  s.membership.taskReports = [{ workerId: 'w1', tasks: [], applied: 199n }];
  await s.step();
  assert.deepEqual(s.started, [], 'w1 had not read epoch 200 when it reported');
  s.membership.taskReports = [{ workerId: 'w1', tasks: [], applied: 200n }];
  await s.step();
  assert.deepEqual(s.started, [{ name: 'a', epoch: 200n, tasks: [1] }]);
  await s.coordinator.stop();
});

test('a new epoch stops the local tasks and starts them again; a lost lease stops everything', async () => {
  const s = setup();
  s.membership.live = ['w1'];
  s.config.connectors.set('a', connector(1));
  await s.step();
  assert.equal(s.started.length, 1);
  s.config.epochs.set('a', 500n);
  await s.step();
  assert.equal(s.stops(), 1);
  assert.deepEqual(s.started.at(-1), { name: 'a', epoch: 500n, tasks: [0] });
  s.membership.lease = false;
  await s.step();
  assert.equal(s.stops(), 2, 'a worker that lost its lease acts as nobody');
  assert.equal(s.coordinator.running.size, 0);
  s.config.epochs.set('a', 600n);
  await s.step();
  assert.equal(s.started.length, 2, 'nothing starts without a lease');
  await s.coordinator.stop();
});

test('a connector removed from the config stops here', async () => {
  const s = setup();
  s.membership.live = ['w1'];
  s.config.connectors.set('a', connector(1));
  await s.step();
  s.config.connectors.delete('a');
  await s.step();
  assert.equal(s.stops(), 1);
  assert.deepEqual(s.config.written.at(-1)?.assignment.tasks, {});
  await s.coordinator.stop();
});

test('a task count that fails is shown as the failure and tried again with backoff, never cached as 0', async () => {
  let calls = 0;
  const s = setup('w1', async () => {
    calls++;
    if (calls === 1) throw new Error('taskConfigs exploded');
    return 2;
  });
  s.membership.live = ['w1'];
  s.config.connectors.set('a', connector(2));
  await s.step();
  assert.equal(calls, 1);
  assert.match(s.coordinator.countFailures().get('a') ?? '', /taskConfigs exploded/);
  assert.deepEqual(s.config.written.at(-1)?.assignment.tasks, {});
  await s.step();
  assert.equal(calls, 1, 'not tried again within the backoff');
  await new Promise((r) => setTimeout(r, 1100));
  await s.step();
  assert.equal(calls, 2);
  assert.equal(s.coordinator.countFailures().size, 0);
  assert.deepEqual(s.config.written.at(-1)?.assignment.tasks, { a: ['w1', 'w1'] });
  await s.coordinator.stop();
});
