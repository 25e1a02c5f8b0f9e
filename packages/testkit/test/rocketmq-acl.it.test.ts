import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mqadmin, useBrokers } from '../src/index.ts';

const brokers = useBrokers({ kafka: false, rocketmq: { acl: true } });

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
  const wrong = await mqadmin(rocketmq, ['sendMessage', '-t', limited.topic, '-p', 'x'], {
    credentials: { accessKey: limited.accessKey, secretKey: 'wrong-secret' },
  });
  assert.doesNotMatch(wrong, /SEND_OK/);
  assert.match(wrong, /check signature failed/);
  const unsigned = await mqadmin(rocketmq, ['sendMessage', '-t', limited.topic, '-p', 'x']);
  assert.doesNotMatch(unsigned, /SEND_OK/);
});
