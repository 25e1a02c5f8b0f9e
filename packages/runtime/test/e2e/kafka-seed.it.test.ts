import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import { rawGet } from '../cluster/worker-process.ts';
import {
  createKafkaTopics,
  createTopics,
  readKafka,
  readRocketMQ,
  writeKafka,
  writeRocketMQ,
} from './kafka-rocketmq.ts';

const cluster = useCluster({ kafka: true });
const N = 10_000;

before(async () => {
  const c = await cluster.ready();
  await createTopics(c.namesrvAddr, { rocketmq: ['kafkaconnect', 'kafkanum', 'fork-in'] });
  await createKafkaTopics(c.kafka!, ['kafkaconnect', 'kafkanum', 'fork-out']);
  await Promise.all(['w1', 'w2'].map((w) => c.start(w)));
});

test("the seed's two URLs, verbatim, on two workers: a two-way sync where every record crosses once and nothing echoes", async () => {
  const c = cluster();
  // The seed's URLs with only the Kafka address changed to the test broker's.
  const source = `/connectors/create/kafkaSource?config={"tasks.num":"4","kafka.topics":"kafkaconnect","kafka.bootstrap.server":"${c.kafka}"}`;
  const sink = `/connectors/create/kafkaSink?config={"topicNames":"kafkaconnect","tasks.num":"2","kafka.bootstrap.server":"${c.kafka}"}`;
  assert.deepEqual(await rawGet(c.workers.get('w1')!.url, source), { status: 200, body: 'success' });
  assert.deepEqual(await rawGet(c.workers.get('w2')!.url, sink), { status: 200, body: 'success' });
  await until('6 tasks running', async () => {
    const all = (await c.call('w1', 'GET', '/connectors?expand=status')).json as Record<
      string,
      { status: { tasks: { state: string }[] } }
    >;
    return (
      Object.values(all)
        .flatMap((x) => x.status.tasks)
        .filter((t) => t.state === 'RUNNING').length === 6
    );
  });

  await Promise.all([
    writeKafka(
      c.kafka!,
      Array.from({ length: N }, (_, i) => ({
        topic: 'kafkaconnect',
        key: `k${i % 50}`,
        value: Buffer.from(`from-kafka-${i}`),
      })),
    ),
    writeRocketMQ(
      c.namesrvAddr,
      Array.from({ length: N }, (_, i) => ({
        topic: 'kafkaconnect',
        keys: `r${i % 50}`,
        body: Buffer.from(`from-rocketmq-${i}`),
      })),
    ),
  ]);
  const count = (values: string[], prefix: string) => values.filter((v) => v.startsWith(prefix)).length;
  let seen = '';
  await until(
    'every record on the other side',
    async () => {
      const inRocketMQ = (await readRocketMQ(c.namesrvAddr, 'kafkaconnect')).map((m) => m.body.toString());
      const inKafka = (await readKafka(c.kafka!, 'kafkaconnect')).map((r) => r.value.toString());
      seen = `RocketMQ: ${inRocketMQ.length} (${count(inRocketMQ, 'from-kafka-')} from Kafka); Kafka: ${inKafka.length} (${count(inKafka, 'from-rocketmq-')} from RocketMQ)`;
      return count(inRocketMQ, 'from-kafka-') >= N && count(inKafka, 'from-rocketmq-') >= N;
    },
    120_000,
  ).catch(async (err: Error) => {
    const status = JSON.stringify((await c.call('w1', 'GET', '/connectors?expand=status')).json);
    const logs = [...c.workers.values()].map((w) => w.log.join('').slice(-3000)).join('\n---\n');
    throw new Error(`${err.message}: ${seen}\n${status}\n${logs}`);
  });
  // Give an echo time to show up, then count everything exactly.
  await new Promise((r) => setTimeout(r, 3000));
  const inRocketMQ = (await readRocketMQ(c.namesrvAddr, 'kafkaconnect')).map((m) => m.body.toString());
  const inKafka = (await readKafka(c.kafka!, 'kafkaconnect')).map((r) => r.value.toString());
  assert.equal(inRocketMQ.length, 2 * N, 'RocketMQ holds its own records and Kafka’s, once each');
  assert.equal(inKafka.length, 2 * N, 'Kafka holds its own records and RocketMQ’s, once each');
  assert.equal(new Set(inRocketMQ).size, 2 * N);
  assert.equal(new Set(inKafka).size, 2 * N);
});

test("the seed's URLs with numbers for values (as tools send them) create working connectors", async () => {
  const c = cluster();
  const source = `/connectors/create/numSource?config={"tasks.num":2,"kafka.topics":"kafkanum","kafka.bootstrap.server":"${c.kafka}"}`;
  const sink = `/connectors/create/numSink?config={"topicNames":"kafkanum","tasks.num":1,"kafka.bootstrap.server":"${c.kafka}"}`;
  assert.deepEqual(await rawGet(c.workers.get('w1')!.url, source), { status: 200, body: 'success' });
  assert.deepEqual(await rawGet(c.workers.get('w2')!.url, sink), { status: 200, body: 'success' });
  const stored = (await c.call('w1', 'GET', '/connectors/numSource/config')).json as Record<string, string>;
  assert.equal(stored['tasks.num'], '2', 'stored as text');
  await writeKafka(c.kafka!, [{ topic: 'kafkanum', key: 'k', value: Buffer.from('from-kafka') }]);
  await writeRocketMQ(c.namesrvAddr, [{ topic: 'kafkanum', keys: 'r', body: Buffer.from('from-rocketmq') }]);
  await until(
    'a record across each way',
    async () =>
      (await readRocketMQ(c.namesrvAddr, 'kafkanum')).some((m) => m.body.toString() === 'from-kafka') &&
      (await readKafka(c.kafka!, 'kafkanum')).some((r) => r.value.toString() === 'from-rocketmq'),
    60_000,
  );
});

test("the fork's Java class name and later keys, created with tasks.max: the seed's taskNum changes it", async () => {
  const c = cluster();
  const config = {
    'connector.class': 'org.apache.rocketmq.connect.kafka.connector.KafkaSinkConnector',
    'tasks.max': 1,
    'rocketmq.topic': 'fork-in',
    'kafka.topic': 'fork-out',
    'kafka.bootstrap.server': c.kafka,
  };
  assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'fork', config })).status, 201);
  const url = c.workers.get('w2')!.url;
  // w2 applies the create from the config log, a moment after w1 answered.
  await until('fork known on w2', async () => (await c.call('w2', 'GET', '/connectors/fork')).status === 200);
  assert.deepEqual(await rawGet(url, '/connectors/taskNum/fork/3'), {
    status: 200,
    body: 'oldTaskNum : 1 newTaskNum : 3',
  });
  const config3 = async () =>
    (await c.call('w1', 'GET', '/connectors/fork/config')).json as Record<string, string>;
  await until('w1 has applied the change', async () => (await config3())['tasks.num'] === '3');
  const after = await config3();
  assert.equal(after['tasks.max'], undefined, 'one name for the task count, not two that conflict');
  await until('3 tasks running', async () => {
    const s = (await c.call('w1', 'GET', '/connectors/fork/status')).json as { tasks: { state: string }[] };
    return s.tasks.filter((t) => t.state === 'RUNNING').length === 3;
  });
  await writeRocketMQ(c.namesrvAddr, [
    { topic: 'fork-in', keys: 'f', body: Buffer.from('through-the-fork') },
  ]);
  await until(
    'the record in Kafka',
    async () =>
      (await readKafka(c.kafka!, 'fork-out')).some((r) => r.value.toString() === 'through-the-fork'),
    60_000,
  );
});
