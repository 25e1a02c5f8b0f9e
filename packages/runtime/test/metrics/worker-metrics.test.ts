import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.ts';
import { QueueLag } from '../../src/sink/queue-lag.ts';
import { samples, sum } from '../../ui/prom.js';
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
  const r = new Rates();
  r.observe('k', 100, 1000);
  assert.equal(r.rate('k'), undefined, 'one reading is no rate');
  r.observe('k', 300, 3000);
  assert.equal(r.rate('k'), 100);
  r.observe('k', 50, 4000);
  assert.equal(r.rate('k'), 50, 'a counter that went down (a restarted worker) counts from 0');
  assert.deepEqual(r.history('k'), [100, 50]);
});
