import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KafkaWriter } from '@sluice/connector-kafka';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import { createKafkaTopics, createTopics, readKafka } from '../e2e/kafka-rocketmq.ts';

// Kafka → RocketMQ (two masters) → Kafka through one worker while Kafka is away for 60 s and
// then one RocketMQ master is: the tasks heal by themselves and every record arrives.

const cluster = useCluster({ kafka: true, rocketmqBrokers: 2 });
const OUTAGE_MS = Number(process.env.SLUICE_OUTAGE_MS ?? 60_000);

before(async () => {
  const c = await cluster.ready();
  await createTopics(c.namesrvAddr, { rocketmq: ['flow-mid'], queues: 2 });
  await createKafkaTopics(c.kafka!, ['flow-in', 'flow-out'], 2);
  await c.start('w1');
});

/** Writes records seq 0, 1, … to Kafka until stopped, riding out Kafka being away. */
function feeder(bootstrap: string) {
  let next = 0;
  let running = true;
  const done = (async () => {
    let writer = new KafkaWriter({ bootstrap: bootstrap.split(','), clientId: 'flow-feeder' });
    while (running) {
      const batch = Array.from({ length: 25 }, (_, i) => next + i);
      const sent = await Promise.race([
        writer
          .send(
            batch.map((s) => ({
              topic: 'flow-in',
              key: Buffer.from(`k${s % 10}`),
              value: Buffer.from(`v${s}`),
              headers: { seq: Buffer.from(String(s)) },
            })),
          )
          .then(
            () => true,
            () => false,
          ),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (sent) next += batch.length;
      else {
        // Away: a new client once it is back (the batch is sent again: maybe twice, never lost).
        await writer.close().catch(() => {});
        await new Promise((r) => setTimeout(r, 1000));
        writer = new KafkaWriter({ bootstrap: bootstrap.split(','), clientId: 'flow-feeder' });
        continue;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await writer.close().catch(() => {});
  })();
  return {
    get written() {
      return next;
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
}

let sampling = true;
after(() => {
  sampling = false;
});

test('Kafka away 60 s, then a RocketMQ master away 60 s: tasks heal by themselves, 0 lost', async () => {
  const c = cluster();
  const heal = { 'task.restart.backoff.initial.ms': '1000', 'task.restart.backoff.max.ms': '10000' };
  for (const [name, config] of [
    [
      'flow-src',
      {
        'connector.class': 'KafkaSourceConnector',
        'kafka.topic': 'flow-in',
        'rocketmq.topic': 'flow-mid',
        'kafka.bootstrap.server': c.kafka!,
        ...heal,
      },
    ],
    [
      'flow-snk',
      {
        'connector.class': 'KafkaSinkConnector',
        'rocketmq.topic': 'flow-mid',
        'kafka.topic': 'flow-out',
        'kafka.bootstrap.server': c.kafka!,
        ...heal,
      },
    ],
  ] as const) {
    const r = await c.call('w1', 'POST', '/connectors', { name, config });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const seen = new Map<string, Set<string>>([
    ['flow-src', new Set()],
    ['flow-snk', new Set()],
  ]);
  const last = new Map<string, string>();
  const sampler = (async () => {
    while (sampling) {
      for (const name of seen.keys()) {
        const r = await c.call('w1', 'GET', `/connectors/${name}/status`).catch(() => undefined);
        const t = (r?.json as { tasks?: { state: string }[] } | undefined)?.tasks?.[0];
        if (t) {
          seen.get(name)!.add(t.state);
          last.set(name, t.state);
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const feed = feeder(c.kafka!);
  await new Promise((r) => setTimeout(r, 10_000));
  const kafka = c.brokers.kafka!;
  const id = kafka.brokers[0]!.id;
  await kafka.broker(id).stop();
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  await kafka.startBroker(id);
  await new Promise((r) => setTimeout(r, 15_000));
  const rocketmq = c.brokers.rocketmq!;
  await rocketmq.broker('broker-b').stop();
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  await rocketmq.startBroker('broker-b');
  await new Promise((r) => setTimeout(r, 10_000));
  await feed.stop();
  const total = feed.written;
  let got = new Set<string>();
  await until(
    `all ${total} records in flow-out`,
    async () => {
      got = new Set((await readKafka(c.kafka!, 'flow-out')).map((r) => r.headers.seq!));
      return got.size >= total;
    },
    240_000,
  ).catch((err) => {
    process.stdout.write(`# states ${JSON.stringify([...seen].map(([k, v]) => [k, [...v]]))}\n`);
    throw err;
  });
  sampling = false;
  await sampler;
  const missing = Array.from({ length: total }, (_, i) => String(i)).filter((s) => !got.has(s));
  assert.deepEqual(missing, [], '0 lost');
  process.stdout.write(
    `# ${total} records; states seen: ${JSON.stringify([...seen].map(([k, v]) => [k, [...v]]))}\n`,
  );
  for (const name of seen.keys()) assert.equal(last.get(name), 'RUNNING', `${name} is RUNNING at the end`);
});
