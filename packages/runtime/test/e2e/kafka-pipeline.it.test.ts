import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import { checkCrossSitePage } from './cross-site-page.ts';
import { createKafkaTopics, createTopics, type KafkaRead, readKafka, writeKafka } from './kafka-rocketmq.ts';
import { checkDashboard, checkMetricsAccess, checkMetricsAfterFlow, scrape } from './observability.ts';

// Kafka topic a → RocketMQ → Kafka topic b through two workers behind an API token, with the
// later mapping keys; and what their metrics and dashboard show meanwhile.

const cluster = useCluster({ kafka: true, settings: { httpAuthToken: 'pipeline-token' } });
const KEYS = 100;

before(async () => {
  const c = await cluster.ready();
  await createTopics(c.namesrvAddr, { rocketmq: ['mid1', 'mid2', 'mid3', 'mid4', 'mid5'] });
  await createKafkaTopics(c.kafka!, ['a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4', 'a5'], 4);
  await Promise.all(['w1', 'w2'].map((w) => c.start(w)));
});

/** Record i: a binary value with every byte value in it, its key and headers. */
function record(run: string, i: number) {
  const digest = createHash('sha256').update(`${run}-${i}`).digest();
  return {
    key: `key-${i % KEYS}`,
    value: Buffer.concat([Buffer.from(`${i}:`), digest, Buffer.from([0, 255, 10, 13])]),
    headers: { seq: String(i), run },
  };
}

async function pipeline(n: number) {
  const c = cluster();
  for (const [name, config] of [
    [
      `src${n}`,
      {
        'connector.class': 'KafkaSourceConnector',
        'kafka.topic': `a${n}`,
        'rocketmq.topic': `mid${n}`,
        'tasks.num': '2',
        'kafka.bootstrap.server': c.kafka!,
      },
    ],
    [
      `snk${n}`,
      {
        'connector.class': 'KafkaSinkConnector',
        'rocketmq.topic': `mid${n}`,
        'kafka.topic': `b${n}`,
        'tasks.num': '2',
        'kafka.bootstrap.server': c.kafka!,
      },
    ],
  ] as const) {
    const r = await c.call('w1', 'POST', '/connectors', { name, config });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
}

/** Every record arrived byte-exact with key and headers; per-key order holds; duplicates counted. */
function check(run: string, count: number, got: KafkaRead[]): { duplicates: number } {
  const seen = new Map<number, number>();
  const lastPerKey = new Map<string, number>();
  // Per partition in offset order, the first copies of each key's records must ascend.
  const byPartition = [...got].sort((x, y) => x.partition - y.partition || Number(x.offset - y.offset));
  for (const r of byPartition) {
    const i = Number(r.headers.seq);
    const want = record(run, i);
    assert.ok(r.value.equals(want.value), `record ${i} byte-exact`);
    assert.equal(r.key, want.key);
    assert.equal(r.headers.run, run);
    seen.set(i, (seen.get(i) ?? 0) + 1);
    if (seen.get(i) === 1) {
      assert.ok((lastPerKey.get(r.key!) ?? -1) < i, `key ${r.key}: ${i} after ${lastPerKey.get(r.key!)}`);
      lastPerKey.set(r.key!, i);
    }
  }
  for (let i = 0; i < count; i++) assert.ok(seen.has(i), `record ${i} arrived`);
  return { duplicates: got.length - seen.size };
}

async function waitFor(n: number, count: number, timeoutMs = 180_000): Promise<KafkaRead[]> {
  const c = cluster();
  let got: KafkaRead[] = [];
  await until(
    `${count} records in b${n}`,
    async () => {
      got = await readKafka(c.kafka!, `b${n}`);
      return new Set(got.map((r) => r.headers.seq)).size >= count;
    },
    timeoutMs,
  ).catch(async (err: Error) => {
    const status = JSON.stringify(
      (await c.call('w1', 'GET', '/connectors?expand=status').catch(() => ({ json: '' }))).json,
    );
    const logs = [...c.workers.values()]
      .map((w) =>
        w.log
          .join('')
          .split('\n')
          .filter((l) => /"level":(40|50)/.test(l))
          .slice(-15)
          .join('\n'),
      )
      .join('\n---\n');
    throw new Error(
      `${err.message} (have ${new Set(got.map((r) => r.headers.seq)).size})\n${status}\n${logs}`,
    );
  });
  return got;
}

test('100,000 keyed records with headers: Kafka a → RocketMQ → Kafka b, byte-exact, per-key order kept', async () => {
  const c = cluster();
  const N = 100_000;
  await pipeline(1);
  const t0 = Date.now();
  await writeKafka(
    c.kafka!,
    Array.from({ length: N }, (_, i) => ({ topic: 'a1', ...record('one', i) })),
  );
  const got = await waitFor(1, N);
  const { duplicates } = check('one', N, got);
  process.stdout.write(
    `# 100,000 records a → RocketMQ → b in ${Date.now() - t0} ms, ${duplicates} duplicates\n`,
  );
  assert.equal(duplicates, 0);
});

test('/metrics while records flow: counters equal the records sent, lag drains to 0', async () => {
  const c = cluster();
  const N = 20_000;
  await pipeline(4);
  const writing = writeKafka(
    c.kafka!,
    Array.from({ length: N }, (_, i) => ({ topic: 'a4', ...record('four', i) })),
  );
  // Scraped mid-stream too: the text parses every time, whatever is in flight.
  for (let i = 0; i < 3; i++) await Promise.all(['w1', 'w2'].map((id) => scrape(c, id)));
  await writing;
  const got = await waitFor(4, N);
  await checkMetricsAfterFlow(c, 'src4', 'snk4', N, got.length);
  await checkMetricsAccess(c);
});

test('the dashboard in chromium: token, create from JSON with field errors, records move, pause', async () => {
  await checkDashboard(cluster(), {
    name: 'src5',
    kafkaTopic: 'a5',
    rocketmqTopic: 'mid5',
    screenshot: process.env.SLUICE_DASHBOARD_SCREENSHOT,
  });
});

test('a page of another site in chromium cannot create connectors: 403, nothing created', async () => {
  await checkCrossSitePage(cluster());
});

test('a worker killed with SIGKILL mid-stream: zero loss, duplicates counted', async () => {
  const c = cluster();
  const N = 50_000;
  await pipeline(2);
  const writing = writeKafka(
    c.kafka!,
    Array.from({ length: N }, (_, i) => ({ topic: 'a2', ...record('two', i) })),
  );
  await until('a quarter through', async () => (await readKafka(c.kafka!, 'b2')).length > N / 4, 120_000);
  c.signal('w2', 'SIGKILL');
  await c.workers.get('w2')!.exited;
  c.workers.delete('w2');
  await writing;
  const got = await waitFor(2, N);
  const { duplicates } = check('two', N, got);
  process.stdout.write(`# SIGKILL mid-stream: ${N} records, none lost, ${duplicates} duplicates\n`);
  await c.start('w2');
});

test('Kafka and RocketMQ brokers restarted mid-stream: zero loss', async () => {
  const c = cluster();
  const N = 30_000;
  await pipeline(3);
  const writing = writeKafka(
    c.kafka!,
    Array.from({ length: N / 2 }, (_, i) => ({ topic: 'a3', ...record('three', i) })),
  );
  await until('some through', async () => (await readKafka(c.kafka!, 'b3')).length > N / 8, 120_000);
  await c.brokers.rocketmq!.restartBroker('broker-a');
  await writing;
  await c.brokers.kafka!.restartBroker(1);
  await writeKafka(
    c.kafka!,
    Array.from({ length: N / 2 }, (_, i) => ({ topic: 'a3', ...record('three', N / 2 + i) })),
  );
  const got = await waitFor(3, N, 90_000);
  const { duplicates } = check('three', N, got);
  process.stdout.write(`# broker restarts mid-stream: ${N} records, none lost, ${duplicates} duplicates\n`);
});
