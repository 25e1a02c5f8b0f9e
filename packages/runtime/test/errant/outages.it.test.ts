import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KafkaWriter } from '@sluice/connector-kafka';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import { createKafkaTopics, createTopics, readKafka, readRocketMQ } from '../e2e/kafka-rocketmq.ts';

// Kafka → RocketMQ (two masters) → Kafka through one worker while Kafka is away for 60 s and
// one RocketMQ master for 60 s (overlapping by 30 s): the tasks heal by themselves and every
// record arrives.

const cluster = useCluster({ kafka: true, rocketmqBrokers: 2 });
const OUTAGE_MS = Number(process.env.SLUICE_OUTAGE_MS ?? 60_000);

before(async () => {
  const c = await cluster.ready();
  await createTopics(c.namesrvAddr, { rocketmq: ['flow-mid', 'flow-any'], queues: 2 });
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

test('Kafka away 60 s and a RocketMQ master away 60 s, half of it at once: tasks heal by themselves, 0 lost; rocketmq.order=none sends past the away master', async () => {
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
      // The same input again, to a topic whose keys may move while a master is away.
      'flow-any',
      {
        'connector.class': 'KafkaSourceConnector',
        'kafka.topic': 'flow-in',
        'rocketmq.topic': 'flow-any',
        'kafka.bootstrap.server': c.kafka!,
        'rocketmq.order': 'none',
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
    ['flow-any', new Set()],
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
  const rocketmq = c.brokers.rocketmq!;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Kafka away [0, 60 s], broker-b away [30 s, 90 s]: both at once for half of each.
  await kafka.broker(id).stop();
  await pause(OUTAGE_MS / 2);
  await rocketmq.broker('broker-b').stop();
  await pause(OUTAGE_MS / 2);
  await kafka.startBroker(id);
  // Input flows again: with rocketmq.order=none it goes to broker-a while broker-b is away.
  await pause(OUTAGE_MS / 8);
  const early = (await readRocketMQ(c.namesrvAddr, 'flow-any')).length;
  await pause(OUTAGE_MS / 4);
  const later = (await readRocketMQ(c.namesrvAddr, 'flow-any')).length;
  await pause(OUTAGE_MS / 8);
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
  if (!(later > early))
    process.stdout.write(
      `# flow-any log:\n${c.workers
        .get('w1')!
        .log.join('')
        .split('\n')
        .filter((l) => l.includes('flow-any'))
        .slice(-15)
        .join('\n')}\n# states ${JSON.stringify([...seen].map(([k, v]) => [k, [...v]]))}\n`,
    );
  assert.ok(later > early, `flow-any kept flowing to broker-a while broker-b was away (${early} → ${later})`);
  let any = new Set<string>();
  await until('every record in flow-any', async () => {
    any = new Set((await readRocketMQ(c.namesrvAddr, 'flow-any')).map((m) => m.userProperties.seq!));
    return any.size >= total;
  });
  process.stdout.write(
    `# ${total} records; states seen: ${JSON.stringify([...seen].map(([k, v]) => [k, [...v]]))}\n`,
  );
  for (const name of seen.keys()) assert.equal(last.get(name), 'RUNNING', `${name} is RUNNING at the end`);
});
