import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import type { Cluster } from '../cluster/cluster-helper.ts';
import { until } from '../cluster/cluster-helper.ts';
import { launchBrowser } from './browser.ts';
import { writeKafka } from './kafka-rocketmq.ts';
import { parseSamples, type Sample, total } from './metrics-text.ts';

// What an operator sees while records flow: every worker's /metrics, as Prometheus scrapes it,
// and the dashboard in a real browser. Called from kafka-pipeline.it.test.ts, whose brokers and
// workers (behind an API token) they share.

const DOCS = new URL('../../../../docs/', import.meta.url);

export async function scrape(c: Cluster, id: string): Promise<Sample[]> {
  const w = c.workers.get(id)!;
  const res = await fetch(`${w.url}/metrics`, { headers: { authorization: `Bearer ${w.token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseSamples(await res.text());
}

async function scrapeAll(c: Cluster): Promise<Sample[]> {
  return (await Promise.all([...c.workers.keys()].map((id) => scrape(c, id)))).flat();
}

/**
 * Source `src` and sink `snk` carried `sent` records into Kafka topic with `arrived` copies: the
 * counters say so exactly, the lag drains to 0, and the worker-level series are there.
 */
export async function checkMetricsAfterFlow(
  c: Cluster,
  src: string,
  snk: string,
  sent: number,
  arrived: number,
) {
  let all: Sample[] = [];
  await until(
    `${src} and ${snk} counted and drained`,
    async () => {
      all = await scrapeAll(c);
      return (
        total(all, 'sluice_source_records_written_total', { connector: src }) === sent &&
        total(all, 'sluice_sink_records_put_total', { connector: snk }) === arrived &&
        total(all, 'sluice_source_lag_records', { connector: src }) === 0 &&
        total(all, 'sluice_sink_lag_records', { connector: snk }) === 0 &&
        all.some((s) => s.name === 'sluice_sink_lag_records' && s.labels.connector === snk)
      );
    },
    60_000,
  ).catch((err: Error) => {
    const mine = all.filter((s) => s.labels.connector === src || s.labels.connector === snk);
    throw new Error(`${err.message}: ${JSON.stringify(mine.filter((s) => !s.name.includes('_bucket')))}`);
  });
  assert.equal(total(all, 'sluice_source_records_polled_total', { connector: src }), sent);
  assert.equal(total(all, 'sluice_sink_records_read_total', { connector: snk }) >= arrived, true);
  assert.equal(total(all, 'sluice_task_state', { connector: src, state: 'RUNNING' }), 2);
  assert.ok(total(all, 'sluice_offset_commits_total', { connector: src, result: 'success' }) > 0);
  assert.ok(total(all, 'sluice_offset_commits_total', { connector: snk, result: 'success' }) > 0);
  assert.ok(total(all, 'sluice_source_send_seconds_count', { connector: src }) > 0);
  assert.equal(total(all, 'sluice_source_send_batch_records_sum', { connector: src }), sent);
  assert.equal(total(all, 'sluice_sink_put_batch_records_sum', { connector: snk }), arrived);
  // The cluster: one leader, one generation, every member's heartbeat seen by every worker.
  const per = await Promise.all([...c.workers.keys()].map(async (id) => [id, await scrape(c, id)] as const));
  assert.equal(
    per.reduce((a, [, s]) => a + total(s, 'sluice_worker_leader'), 0),
    1,
  );
  const generations = new Set(per.map(([, s]) => total(s, 'sluice_worker_assignment_generation')));
  assert.equal(generations.size, 1, `one generation: ${[...generations]}`);
  for (const [id, s] of per) {
    assert.ok(total(s, 'sluice_worker_rebalances_total') >= 1, id);
    assert.equal(s.filter((x) => x.name === 'sluice_worker_heartbeat_age_seconds').length, per.length, id);
    assert.ok(total(s, 'sluice_http_requests_total', { route: '/metrics', status: '200' }) >= 1, id);
    assert.ok(total(s, 'process_resident_memory_bytes') > 0, id);
    assert.ok(
      s.some((x) => x.name === 'nodejs_eventloop_lag_p99_seconds'),
      id,
    );
    assert.ok(
      s.some((x) => x.name === 'sluice_worker_config_log_lag_records'),
      id,
    );
  }
  // Every series we make is documented, and every documented name is real.
  const docs = await readFile(new URL('metrics.md', DOCS), 'utf8');
  const ours = new Set(
    all.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')).filter((n) => n.startsWith('sluice_')),
  );
  for (const name of ours) assert.ok(docs.includes(`\`${name}\``), `${name} is in docs/metrics.md`);
  for (const [, name] of docs.matchAll(/`(sluice_[a-z_]+)`/g))
    assert.ok(
      ours.has(name!) || /dead_letter|failures|errors|skipped|restarts/.test(name!),
      `${name} exists`,
    );
}

/** Another worker's metrics through this one, and no metrics without the token. */
export async function checkMetricsAccess(c: Cluster) {
  const [a, b] = [...c.workers.values()];
  const res = await fetch(`${a!.url}/workers/${b!.workerId}/metrics`, {
    headers: { authorization: `Bearer ${a!.token}` },
  });
  assert.equal(res.status, 200);
  const info = parseSamples(await res.text()).find((s) => s.name === 'sluice_worker_info');
  assert.equal(info?.labels.worker, b!.workerId);
  assert.equal((await fetch(`${a!.url}/metrics`)).status, 401);
  assert.equal((await fetch(`${a!.url}/ui/`)).status, 200, 'the dashboard’s files need no token');
  assert.equal((await fetch(`${a!.url}/ui/..%2Fpackage.json`)).status, 404);
}

/**
 * The dashboard in headless chromium, behind the API token: the token form, the workers, a
 * config with an error shown at its key, a connector created from JSON, its records moving,
 * then paused from its row. `screenshot`, when given, gets a PNG taken while records flow.
 */
export async function checkDashboard(
  c: Cluster,
  opts: { name: string; kafkaTopic: string; rocketmqTopic: string; screenshot?: string | undefined },
) {
  const w = c.workers.get('w1')!;
  const problems: string[] = [];
  const browser = await launchBrowser();
  let feeding = true;
  let feeder: Promise<void> = Promise.resolve();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // The first loads before the token is given answer 401: expected, anything else is not.
      if (m.type() === 'error' && !/401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${w.url}/ui/`);
    await page.locator('#token-form').waitFor({ state: 'visible' });
    await page.fill('#token', w.token!);
    await page.click('#token-form button');
    await page.locator('#workers-table tr[data-worker="w2"]').waitFor();
    assert.equal(await page.locator('#workers-table .badge.leader').count(), 1);

    const config = {
      'connector.class': 'KafkaSourceConnector',
      'kafka.topic': opts.kafkaTopic,
      'rocketmq.topic': opts.rocketmqTopic,
      'tasks.num': '2',
    };
    await page.fill('#create-json', JSON.stringify({ name: opts.name, config }));
    await page.click('#create-button');
    const missing = page.locator('#create-messages .field[data-key="kafka.bootstrap.server"]');
    await missing.waitFor();
    assert.match((await missing.textContent()) ?? '', /kafka\.bootstrap\.server.*required/);
    assert.equal((await c.call('w1', 'GET', `/connectors/${opts.name}`)).status, 404, 'nothing created');

    const ok = { ...config, 'kafka.bootstrap.server': c.kafka!, 'tasks.num': 2 };
    await page.fill('#create-json', JSON.stringify({ name: opts.name, config: ok }, null, 2));
    await page.click('#create-button');
    await page.getByText(`Created ${opts.name}.`).waitFor();
    const row = page.locator(`#connectors-table tr.connector[data-connector="${opts.name}"]`);
    await row.locator('.badge.running').waitFor({ timeout: 60_000 });

    feeder = (async () => {
      for (let batch = 0; feeding; batch++) {
        const records = Array.from({ length: 500 }, (_, i) => ({
          topic: opts.kafkaTopic,
          key: `k${i % 10}`,
          value: Buffer.from(`dashboard ${batch}:${i}`),
        }));
        await writeKafka(c.kafka!, records);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    // Records move: its rate column shows records per second above zero.
    await until(
      'a rate on the dashboard',
      async () => Number.parseFloat((await row.locator('td.rate').textContent()) ?? '') > 0,
      60_000,
    );
    await row.locator('button[aria-expanded]').click();
    await page.locator(`tr.task[data-task="${opts.name}/0"]`).waitFor();
    // A task that fails (its "file" is a directory): its trace opens, and stays open across refreshes.
    const broken = { 'connector.class': 'FileStreamSource', file: c.dir, topic: opts.rocketmqTopic };
    assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'broken', config: broken })).status, 201);
    const brokenRow = page.locator('#connectors-table tr.connector[data-connector="broken"]');
    await brokenRow.locator('button[aria-expanded]').click();
    const trace = page.locator('#connectors-table tr.trace details');
    await trace.locator('summary').click({ timeout: 60_000 });
    await page.waitForTimeout(6000); // three refreshes; a few more points on the sparklines
    assert.equal(await trace.getAttribute('open'), '', 'the trace is still open');
    assert.match((await trace.locator('pre').textContent()) ?? '', /EISDIR|directory/i);
    if (opts.screenshot) await writeFile(opts.screenshot, await page.screenshot({ fullPage: true }));

    page.once('dialog', (d) => void d.accept());
    await row.locator('button[data-action="pause"]').click();
    await row.locator('.badge.paused').waitFor({ timeout: 30_000 });
    const status = (await c.call('w1', 'GET', `/connectors/${opts.name}/status`)).json as {
      connector: { state: string };
    };
    assert.equal(status.connector.state, 'PAUSED');
    assert.deepEqual(problems, []);
  } finally {
    feeding = false;
    await feeder.catch(() => {});
    await browser.close();
  }
}
