import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { KafkaWriter } from '@sluice/connector-kafka';
import type { MessageExt } from '@sluice/rocketmq';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import {
  createKafkaTopics,
  createTopics,
  readKafka,
  readRocketMQ,
  writeRocketMQ,
} from '../e2e/kafka-rocketmq.ts';

// Every kind of record RocketMQ cannot take as it is, from Kafka, through a real worker: what
// can be carried (escaped headers) arrives; what cannot goes to the dead-letter topic with
// Kafka Connect's context headers under errors.tolerance=all, or fails the task under none.

const cluster = useCluster({ kafka: true });
const BIG = randomBytes(5 * 1024 * 1024);

before(async () => {
  const c = await cluster.ready();
  await createTopics(c.namesrvAddr, { rocketmq: ['poison-rmq', 'dlq', 'none-rmq', 'sink-in'], queues: 2 });
  // Kafka takes the 5 MiB record; RocketMQ (4 MiB) does not.
  await createKafkaTopics(c.kafka!, ['poison', 'none-topic'], 1, { 'max.message.bytes': String(16 << 20) });
  await createKafkaTopics(c.kafka!, ['sink-out'], 1);
  await c.start('w1');
});

type Rec = { value: Buffer; headers?: Record<string, Buffer> };
const h = (v: string) => Buffer.from(v, 'utf8');

/** Record i of the poison topic: `kind` says what is wrong with it ('' for nothing). */
const POISON: [kind: string, rec: (i: number) => Rec][] = [
  ['', (i) => ({ value: h(`good-${i}`), headers: { seq: h(String(i)) } })],
  ['empty header value', (i) => ({ value: h(`good-${i}`), headers: { seq: h(String(i)), nothing: h('') } })],
  [
    'system property names',
    (i) => ({ value: h(`good-${i}`), headers: { seq: h(String(i)), KEYS: h('k'), DELAY: h('3') } }),
  ],
  [
    'separators',
    (i) => ({ value: h(`good-${i}`), headers: { seq: h(String(i)), 'a\u0001b': h('c\u0002d') } }),
  ],
  ['body over 4 MiB', (i) => ({ value: BIG, headers: { seq: h(String(i)) } })],
  [
    'non-UTF-8 header',
    (i) => ({ value: h(`bad-${i}`), headers: { seq: h(String(i)), bin: Buffer.from([0xff, 0xfe, 0x00]) } }),
  ],
  [
    'headers over 32 KiB',
    (i) => ({ value: h(`bad-${i}`), headers: { seq: h(String(i)), big: h('x'.repeat(40_000)) } }),
  ],
];
const CARRIED = new Set(['', 'empty header value', 'system property names', 'separators']);

async function writeKafkaRaw(bootstrap: string, topic: string, records: Rec[]): Promise<void> {
  const writer = new KafkaWriter({ bootstrap: bootstrap.split(','), clientId: 'poison-writer' });
  try {
    for (const r of records) await writer.send([{ topic, value: r.value, headers: r.headers ?? {} }]);
  } finally {
    await writer.close();
  }
}

async function status(name: string) {
  const r = await cluster().call('w1', 'GET', `/connectors/${name}/status`);
  return r.json as {
    tasks: { state: string; trace?: string; errors?: { tolerated: number; deadLettered: number } }[];
  };
}

async function kafkaOffset(name: string): Promise<number | undefined> {
  const r = await cluster().call('w1', 'GET', `/connectors/${name}/offsets`);
  const o = (r.json as { offsets: { partition: { partition: number }; offset: { offset: number } }[] })
    .offsets;
  return o.find((x) => x.partition.partition === 0)?.offset.offset;
}

test('errors.tolerance=all: what RocketMQ can carry arrives, the rest is dead-lettered with context, the position moves past', async () => {
  const c = cluster();
  // Twice round: a bad record between good ones, and after them.
  const records = [...POISON, ...POISON].map(([, make], i) => make(i));
  const kinds = [...POISON, ...POISON].map(([kind]) => kind);
  await writeKafkaRaw(c.kafka!, 'poison', [
    ...records,
    { value: h('last'), headers: { seq: h(String(records.length)) } },
  ]);
  const config = {
    'connector.class': 'KafkaSourceConnector',
    'kafka.topic': 'poison',
    'rocketmq.topic': 'poison-rmq',
    'kafka.bootstrap.server': c.kafka!,
    'errors.tolerance': 'all',
    'errors.log.enable': 'true',
    'errors.deadletterqueue.topic.name': 'dlq',
    'errors.deadletterqueue.context.headers.enable': 'true',
  };
  assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'poison-src', config })).status, 201);
  const total = records.length + 1;
  await until(
    'the position past every record',
    async () => (await kafkaOffset('poison-src')) === total,
    90_000,
  );

  const delivered = await readRocketMQ(c.namesrvAddr, 'poison-rmq');
  const seqs = (ms: MessageExt[]) => ms.map((m) => Number(m.userProperties.seq)).sort((a, b) => a - b);
  const wanted = kinds.flatMap((k, i) => (CARRIED.has(k) ? [i] : []));
  assert.deepEqual(new Set(seqs(delivered)), new Set([...wanted, records.length]), 'carried records arrived');
  const escaped = delivered.find((m) => m.userProperties.seq === '2')!;
  assert.equal(escaped.userProperties['sluice.h.KEYS'], '=k', 'a system property name travels escaped');

  const dlq = await readRocketMQ(c.namesrvAddr, 'dlq');
  const bad = kinds.flatMap((k, i) => (CARRIED.has(k) ? [] : [i]));
  // The 5 MiB body comes in two chunks: one id, numbered.
  const chunks = dlq.filter((m) => m.userProperties['sluice.dlq.chunk']);
  assert.equal(chunks.length, 4, 'two 5 MiB records, two chunks each');
  for (const seq of [4, 4 + POISON.length]) {
    const mine = chunks
      .filter(
        (m) => m.userProperties['__connect.errors.source.position'] === JSON.stringify({ offset: seq + 1 }),
      )
      .sort((a, b) =>
        a.userProperties['sluice.dlq.chunk']!.localeCompare(b.userProperties['sluice.dlq.chunk']!),
      );
    assert.ok(Buffer.concat(mine.map((m) => m.body)).equals(BIG), `record ${seq}: the whole body, in order`);
  }
  const byPosition = new Map(dlq.map((m) => [m.userProperties['__connect.errors.source.position'], m]));
  for (const seq of bad) {
    const m = byPosition.get(JSON.stringify({ offset: seq + 1 }));
    assert.ok(m, `bad record ${seq} (${kinds[seq]}) is in the dead-letter topic`);
    const p = m.userProperties;
    assert.equal(p['__connect.errors.topic'], 'poison');
    assert.equal(p['__connect.errors.partition'], '0');
    assert.equal(p['__connect.errors.connector.name'], 'poison-src');
    assert.equal(p['__connect.errors.task.id'], '0');
    assert.ok(p['__connect.errors.exception.message'], 'the reason');
    assert.ok(p['__connect.errors.exception.stacktrace'], 'the stack');
    if (kinds[seq] === 'non-UTF-8 header') {
      assert.equal(p['__connect.errors.stage'], 'TASK_POLL');
      assert.match(p['__connect.errors.exception.message']!, /not UTF-8/);
      assert.equal(p.bin, Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), 'its bytes, as base64');
    } else assert.equal(p['__connect.errors.stage'], 'ROCKETMQ_PRODUCE');
    if (kinds[seq] === 'headers over 32 KiB') {
      assert.equal(p['sluice.dlq.envelope'], 'json');
      assert.equal(JSON.parse(m.body.toString()).headers.big.length, 40_000);
    }
  }
  const s = await status('poison-src');
  assert.equal(s.tasks[0]!.state, 'RUNNING');
  assert.deepEqual(
    { tolerated: s.tasks[0]!.errors?.tolerated, deadLettered: s.tasks[0]!.errors?.deadLettered },
    { tolerated: bad.length, deadLettered: bad.length },
  );
});

test('errors.tolerance=none: the task fails with the reason, the good records before it arrive, the position stays', async () => {
  const c = cluster();
  await writeKafkaRaw(c.kafka!, 'none-topic', [
    { value: h('first'), headers: { seq: h('0') } },
    { value: h('bad'), headers: { seq: h('1'), bin: Buffer.from([0xc3, 0x28]) } },
    { value: h('after'), headers: { seq: h('2') } },
  ]);
  const config = {
    'connector.class': 'KafkaSourceConnector',
    'kafka.topic': 'none-topic',
    'rocketmq.topic': 'none-rmq',
    'kafka.bootstrap.server': c.kafka!,
    // The default, said out loud; restart on failure stays off: a bad record is not passing.
  };
  assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'none-src', config })).status, 201);
  await until('the task FAILED', async () => (await status('none-src')).tasks[0]?.state === 'FAILED', 60_000);
  const t = (await status('none-src')).tasks[0]!;
  assert.match(t.trace!, /errors\.tolerance=none/);
  assert.match(t.trace!, /"bin" is not UTF-8/);
  await until('the position stored before the bad record', async () => (await kafkaOffset('none-src')) === 1);
  assert.deepEqual(
    (await readRocketMQ(c.namesrvAddr, 'none-rmq')).map((m) => m.body.toString()),
    ['first'],
  );
  // A bad record does not pass by itself: no automatic restart.
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal((await status('none-src')).tasks[0]!.state, 'FAILED');
});

test('a sink whose destination refuses one record: it alone goes to the dead-letter topic, the rest is delivered', async () => {
  const c = cluster();
  // Kafka's default limit is 1 MiB a record: a 2 MiB random body is refused for good.
  const messages = Array.from({ length: 20 }, (_, i) => ({
    topic: 'sink-in',
    body: i === 7 ? randomBytes(2 << 20) : h(`rec-${i}`),
    keys: 'one-key',
    properties: { seq: String(i) },
  }));
  await writeRocketMQ(c.namesrvAddr, messages);
  const config = {
    'connector.class': 'KafkaSinkConnector',
    'rocketmq.topic': 'sink-in',
    'kafka.topic': 'sink-out',
    'kafka.bootstrap.server': c.kafka!,
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': 'dlq',
    'errors.deadletterqueue.context.headers.enable': 'true',
  };
  assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'refusing-sink', config })).status, 201);
  await until(
    'the sink tolerated one record',
    async () => (await status('refusing-sink')).tasks[0]?.errors?.tolerated === 1,
    90_000,
  ).catch((err) => {
    process.stdout.write(
      c.workers
        .get('w1')!
        .log.join('')
        .split('\n')
        .filter((l) => l.includes('refusing'))
        .slice(-10)
        .join('\n'),
    );
    throw err;
  });
  await until(
    '19 records in Kafka',
    async () => new Set((await readKafka(c.kafka!, 'sink-out')).map((r) => r.headers.seq)).size === 19,
    30_000,
  );
  const got = new Set((await readKafka(c.kafka!, 'sink-out')).map((r) => r.headers.seq));
  assert.ok(!got.has('7'));
  const dead = (await readRocketMQ(c.namesrvAddr, 'dlq')).filter(
    (m) => m.userProperties['__connect.errors.connector.name'] === 'refusing-sink',
  );
  assert.equal(dead.length, 1);
  const p = dead[0]!.userProperties;
  assert.equal(p['__connect.errors.stage'], 'TASK_PUT');
  assert.equal(p['__connect.errors.topic'], 'sink-in');
  assert.equal(p.seq, '7');
  assert.ok(dead[0]!.body.equals(messages[7]!.body));
  assert.equal((await status('refusing-sink')).tasks[0]!.state, 'RUNNING');
});
