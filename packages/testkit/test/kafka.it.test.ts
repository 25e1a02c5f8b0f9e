import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Admin,
  Consumer,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { useBrokers } from '../src/index.ts';

// Two brokers: the combined broker/controller and a broker-only node, as the testkit offers.
const brokers = useBrokers({ rocketmq: false, kafka: { brokers: 2 } });

test('a Kafka produce/consume round trip with @platformatic/kafka, replicated over two brokers', async () => {
  const kafka = brokers().kafka!;
  const bootstrapBrokers = kafka.bootstrap.split(',');
  assert.equal(bootstrapBrokers.length, 2);

  const admin = new Admin({ clientId: 'smoke-admin', bootstrapBrokers });
  const producer = new Producer({
    clientId: 'smoke-producer',
    bootstrapBrokers,
    serializers: stringSerializers,
    acks: -1,
    idempotent: true,
  });
  const consumer = new Consumer({
    clientId: 'smoke-consumer',
    groupId: 'smoke-group',
    bootstrapBrokers,
    deserializers: stringDeserializers,
  });
  try {
    await admin.createTopics({ topics: ['smoke'], partitions: 3, replicas: 2 });
    const metadata = await admin.metadata({ topics: ['smoke'] });
    assert.equal(metadata.brokers.size, 2);
    const partitions = metadata.topics.get('smoke')!.partitions;
    assert.equal(partitions.length, 3);
    for (const p of partitions) assert.equal(p.replicas.length, 2);

    const sent = Array.from({ length: 300 }, (_, i) => ({
      topic: 'smoke',
      key: `key-${i % 7}`,
      value: `value-${i}-ünïcødé`,
      headers: { seq: String(i) },
    }));
    await producer.send({ messages: sent });

    const stream = await consumer.consume({
      topics: ['smoke'],
      mode: MessagesStreamModes.EARLIEST,
      autocommit: true,
    });
    const received = new Map<string, { key: string; seq: string }>();
    for await (const message of stream) {
      received.set(message.value, { key: message.key, seq: message.headers.get('seq') ?? '' });
      if (received.size === sent.length) break;
    }
    await stream.close();
    for (const [i, m] of sent.entries())
      assert.deepEqual(received.get(m.value), { key: m.key, seq: String(i) });
  } finally {
    await Promise.allSettled([consumer.close(true), producer.close(), admin.close()]);
  }
});

test('a stopped Kafka broker starts again on the same address', async () => {
  const kafka = brokers().kafka!;
  const before = kafka.broker(2).addr;
  await kafka.restartBroker(2);
  assert.equal(kafka.broker(2).addr, before);
  assert.ok(kafka.broker(2).pid);
});
