import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mqadmin, useBrokers } from '@sluice/testkit';
import { Admin, Producer, PullConsumer, RocketMQError } from '../../src/index.ts';

// One ACL-enabled RocketMQ for two things: the kit's ACL set-up checked with RocketMQ's own
// mqadmin (the reference), and our client's signed requests against it.
const brokers = useBrokers({ kafka: false, rocketmq: { acl: true } });

test('signed requests of the limited account are accepted on its topic and group', async () => {
  const { namesrvAddr, acl } = brokers().rocketmq!;
  const { limited } = acl!;
  const producer = new Producer({ namesrvAddr, credentials: limited });
  const consumer = new PullConsumer({ namesrvAddr, group: limited.group, credentials: limited });
  try {
    const sent = await producer.send({ topic: limited.topic, body: 'signed', tags: 'ok' });
    const q = { topic: limited.topic, brokerName: sent.brokerName, queueId: sent.queueId };
    const r = await consumer.pull(q, sent.queueOffset, { suspendMs: 3000 });
    assert.equal(r.messages[0]?.body.toString(), 'signed');
    await consumer.commitOffset(q, sent.queueOffset + 1n);
    assert.equal(await consumer.committedOffset(q), sent.queueOffset + 1n);
  } finally {
    producer.close();
    await consumer.close();
  }
});

test('the admin account may create topics', async () => {
  const { namesrvAddr, acl } = brokers().rocketmq!;
  const admin = new Admin({ namesrvAddr, credentials: acl!.admin });
  try {
    await admin.createTopic('created-by-admin', { readQueueNums: 1, writeQueueNums: 1 });
    assert.ok(await admin.routeInfo('created-by-admin'));
  } finally {
    admin.close();
  }
});

test('a wrong secret is rejected with a clear error', async () => {
  const { namesrvAddr, acl } = brokers().rocketmq!;
  const producer = new Producer({
    namesrvAddr,
    credentials: { accessKey: acl!.limited.accessKey, secretKey: 'wrong' },
    retries: 0,
  });
  try {
    await assert.rejects(producer.send({ topic: acl!.limited.topic, body: 'x' }), (err: unknown) => {
      assert.ok(err instanceof RocketMQError);
      assert.equal(err.code, 'NO_PERMISSION');
      assert.equal(err.responseCode, 16);
      assert.match(err.message, /check signature failed/);
      return true;
    });
  } finally {
    producer.close();
  }
});

test('unsigned requests and requests beyond an account’s rights are rejected', async () => {
  const { namesrvAddr, acl } = brokers().rocketmq!;
  const anonymous = new Producer({ namesrvAddr, retries: 0 });
  const limitedAdmin = new Admin({ namesrvAddr, credentials: acl!.limited });
  try {
    await assert.rejects(anonymous.send({ topic: acl!.limited.topic, body: 'x' }), { code: 'NO_PERMISSION' });
    await assert.rejects(limitedAdmin.createTopic('not-allowed', { waitForRouteMs: 0 }), (err: unknown) => {
      assert.ok(err instanceof RocketMQError);
      assert.equal(err.code, 'NO_PERMISSION');
      assert.match(err.message, /no permission/i);
      return true;
    });
  } finally {
    anonymous.close();
    limitedAdmin.close();
  }
});

test('the limited account may send to and consume from its own topic', async () => {
  const rocketmq = brokers().rocketmq!;
  const { limited } = rocketmq.acl!;
  const sent = await mqadmin(rocketmq, ['sendMessage', '-t', limited.topic, '-p', 'acl-ok', '-k', 'k'], {
    credentials: limited,
  });
  assert.match(sent, /SEND_OK/);
  const consumed = await mqadmin(
    rocketmq,
    ['consumeMessage', '-t', limited.topic, '-g', limited.group, '-b', 'broker-a', '-c', '64'],
    { credentials: limited },
  );
  assert.match(consumed, /BODY: acl-ok/);
});

test('the limited account is refused another topic, with a clear reason', async () => {
  const rocketmq = brokers().rocketmq!;
  const { admin, limited } = rocketmq.acl!;
  const created = await mqadmin(rocketmq, ['updateTopic', '-c', rocketmq.clusterName, '-t', 'admin-only'], {
    credentials: admin,
  });
  assert.match(created, /success/);
  const out = await mqadmin(rocketmq, ['sendMessage', '-t', 'admin-only', '-p', 'nope'], {
    credentials: limited,
  });
  assert.doesNotMatch(out, /SEND_OK/);
  assert.match(out, /no permission/i);
});

test('a wrong secret and unsigned requests are rejected', async () => {
  const rocketmq = brokers().rocketmq!;
  const { limited } = rocketmq.acl!;
  // Two JVMs at once: each mqadmin takes seconds to start.
  const [wrong, unsigned] = await Promise.all([
    mqadmin(rocketmq, ['sendMessage', '-t', limited.topic, '-p', 'x'], {
      credentials: { accessKey: limited.accessKey, secretKey: 'wrong-secret' },
    }),
    mqadmin(rocketmq, ['sendMessage', '-t', limited.topic, '-p', 'x']),
  ]);
  assert.doesNotMatch(wrong, /SEND_OK/);
  assert.match(wrong, /check signature failed/);
  assert.doesNotMatch(unsigned, /SEND_OK/);
});
