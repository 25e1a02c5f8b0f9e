import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.ts';
import { QueueLag } from '../../src/sink/queue-lag.ts';
import { movedSeries, samples, sum } from '../../ui/prom.js';
import { Rates } from '../../ui/rates.js';
import { parseSamples, total } from '../e2e/metrics-text.ts';

const worker = () => new WorkerMetrics({ workerId: 'w1', clusterId: 'c', mode: 'cluster' });

test('task counters count per batch; live tasks show state, lag and in-flight when scraped', async () => {
  const m = worker();
  const t = m.forTask('src', 0, 'source');
  t.polled(10);
  t.written(10, 0.004);
  t.written(5, 0.002);
  t.badRecord('tolerated');
  t.badRecord('deadLettered');
  t.committed(0.01, true);
  t.committed(0.5, false);
  let state: 'RUNNING' | 'PAUSED' = 'RUNNING';
  t.track({ state: () => state, lag: () => new Map([['p0', 7]]), inFlight: () => 3 });
  let s = parseSamples(await m.text());
  assert.equal(total(s, 'sluice_source_records_written_total', { connector: 'src', task: '0' }), 15);
  assert.equal(total(s, 'sluice_source_send_batch_records_count'), 2);
  assert.equal(total(s, 'sluice_source_send_batch_records_sum'), 15);
  assert.equal(
    total(s, 'sluice_task_record_errors_total'),
    1,
    'a dead-lettered record is not a second error',
  );
  assert.equal(total(s, 'sluice_task_dead_letter_records_total'), 1);
  assert.equal(total(s, 'sluice_offset_commits_total', { result: 'failure' }), 1);
  assert.equal(total(s, 'sluice_task_state', { state: 'RUNNING' }), 1);
  assert.equal(total(s, 'sluice_task_state'), 1, 'one state at a time');
  assert.equal(total(s, 'sluice_source_lag_records', { partition: 'p0' }), 7);
  assert.equal(total(s, 'sluice_task_records_in_flight'), 3);
  assert.equal(total(s, 'sluice_worker_connectors'), 1);
  state = 'PAUSED';
  s = parseSamples(await m.text());
  assert.equal(total(s, 'sluice_task_state', { state: 'PAUSED' }), 1);
  // The connector leaves: its series go, the worker's stay.
  t.untrack();
  m.forget('src');
  s = parseSamples(await m.text());
  assert.equal(s.filter((x) => x.labels.connector === 'src').length, 0);
  assert.equal(total(s, 'sluice_worker_info', { worker: 'w1', mode: 'cluster' }), 1);
});

test('a reconfigured connector keeps the series of its remaining tasks only', async () => {
  const m = worker();
  for (const task of [0, 1, 2]) m.forTask('c', task, 'source').written(1, 0.001);
  m.keepTasks('c', [0, 2]);
  const s = parseSamples(await m.text()).filter((x) => x.name === 'sluice_source_records_written_total');
  assert.deepEqual(s.map((x) => x.labels.task).sort(), ['0', '2']);
});

test('a standalone worker shows no cluster series', async () => {
  const m = new WorkerMetrics({ workerId: 's', clusterId: 'standalone', mode: 'standalone' });
  const names = new Set(parseSamples(await m.text()).map((x) => x.name));
  assert.ok(names.has('sluice_worker_info') && names.has('sluice_worker_connectors'));
  for (const n of [
    'sluice_worker_leader',
    'sluice_worker_rebalances_total',
    'sluice_worker_assignment_generation',
  ])
    assert.ok(!names.has(n), n);
});

test('two workers in one process keep their own series', async () => {
  const [a, b] = [worker(), worker()];
  a.forTask('x', 0, 'sink').put(4, 0.001);
  assert.equal(total(parseSamples(await a.text()), 'sluice_sink_records_put_total'), 4);
  assert.equal(total(parseSamples(await b.text()), 'sluice_sink_records_put_total'), 0);
});

test('HTTP requests are counted by route pattern and status', async () => {
  const m = worker();
  m.httpRequest('GET', '/connectors/:name', 404, 0.002);
  m.httpRequest('GET', '/connectors/:name', 404, 0.003);
  const s = parseSamples(await m.text());
  assert.equal(total(s, 'sluice_http_requests_total', { route: '/connectors/:name', status: '404' }), 2);
});

test('sink lag: max offset from pulls minus what is committed; 0 only once stored', () => {
  const lag = new QueueLag(new Map([['t@b#0', 10n]]));
  assert.deepEqual([...lag.view()], [], 'a queue not pulled yet is left out');
  lag.pulled('t@b#0', 50n);
  assert.deepEqual([...lag.view()], [['t@b#0', 40]]);
  lag.committed('t@b#0', 50n);
  assert.deepEqual([...lag.view()], [['t@b#0', 0]]);
});

test('the dashboard’s readers: prom-client JSON to samples, counters to rates', async () => {
  const m = worker();
  m.forTask('c', 1, 'source').written(8, 0.001);
  const list = samples(await m.registry.getMetricsAsJSON());
  assert.equal(sum(list, 'sluice_source_records_written_total', { connector: 'c', task: '1' }), 8);
  assert.equal(sum(list, 'sluice_source_records_written_total', { connector: 'other' }), undefined);
  assert.ok(!list.some((x) => x.name.endsWith('_bucket')));
  assert.deepEqual(movedSeries([['w1', list]]), [{ worker: 'w1', connector: 'c', task: '1', value: 8 }]);
  const r = new Rates();
  const at = (worker: string, connector: string, task: string, value: number) => ({
    worker,
    connector,
    task,
    value,
  });
  r.read([at('w1', 'c', '0', 100), at('w1', 'c', '1', 1000)], 1000);
  assert.equal(r.rate('connector:c'), undefined, 'one reading is no rate');
  r.read([at('w1', 'c', '0', 300), at('w1', 'c', '1', 1200)], 3000);
  assert.equal(r.rate('connector:c'), 200);
  assert.equal(r.rate('task:c/0'), 100);
  assert.equal(r.rate('worker:w1'), 200);
  // Task 1 moves to w2: its counter there starts low. Sums are of rates, so no spike and no dip
  // below what task 0 moves; task 1 has a rate again from w2's second reading.
  r.read([at('w1', 'c', '0', 500), at('w2', 'c', '1', 10)], 5000);
  assert.equal(r.rate('connector:c'), 100);
  assert.equal(r.rate('worker:w2'), 0, 'new there: no rate yet, shown as 0');
  r.read([at('w1', 'c', '0', 700), at('w2', 'c', '1', 210)], 7000);
  assert.equal(r.rate('connector:c'), 200);
  assert.deepEqual(r.history('connector:c'), [200, 100, 200]);
  // A counter that went down restarted from zero (its worker restarted).
  r.read([at('w1', 'c', '0', 40), at('w2', 'c', '1', 410)], 9000);
  assert.equal(r.rate('task:c/0'), 20);
  // Gone everywhere: its history goes.
  r.read([at('w1', 'c', '0', 80)], 11000);
  assert.deepEqual(r.history('worker:w2'), []);
});
