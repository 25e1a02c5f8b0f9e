import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mqadmin, registeredBrokers, useBrokers } from '../src/index.ts';

// Until @sluice/rocketmq exists, RocketMQ's own Java tools are the client of this smoke test.
const brokers = useBrokers({ kafka: false, rocketmq: { brokers: 2 } });

test('the name server lists both brokers of the cluster', async () => {
  const rocketmq = brokers().rocketmq!;
  const listed = await registeredBrokers(rocketmq.namesrvAddr);
  for (const b of rocketmq.brokers) assert.ok(listed.includes(b.addr), `${b.addr} in ${listed}`);
  const out = await mqadmin(rocketmq, ['clusterList']);
  assert.match(out, /broker-a/);
  assert.match(out, /broker-b/);
});

test('a RocketMQ round trip through the Java admin tools', async () => {
  const rocketmq = brokers().rocketmq!;
  const created = await mqadmin(rocketmq, [
    'updateTopic',
    '-c',
    rocketmq.clusterName,
    '-t',
    'smoke',
    '-r',
    '1',
    '-w',
    '1',
  ]);
  assert.match(created, /success/);
  const sent = await mqadmin(rocketmq, [
    'sendMessage',
    '-t',
    'smoke',
    '-p',
    'hello-rocketmq',
    '-k',
    'k1',
    '-c',
    'tagA',
    '-b',
    'broker-a',
  ]);
  assert.match(sent, /SEND_OK/);
  const consumed = await mqadmin(rocketmq, ['consumeMessage', '-t', 'smoke', '-b', 'broker-a', '-c', '10']);
  const line = consumed.split('\n').find((l) => l.startsWith('MSGID:'));
  assert.ok(line, consumed);
  assert.match(line, /BODY: hello-rocketmq$/);
  assert.match(line, /KEYS=k1/);
  assert.match(line, /TAGS=tagA/);
});

test('a broker restarts on the same address and keeps its messages', async () => {
  const rocketmq = brokers().rocketmq!;
  await mqadmin(rocketmq, [
    'updateTopic',
    '-b',
    rocketmq.broker('broker-b').addr,
    '-t',
    'durable',
    '-r',
    '1',
    '-w',
    '1',
  ]);
  const sent = await mqadmin(rocketmq, [
    'sendMessage',
    '-t',
    'durable',
    '-p',
    'survives-restart',
    '-b',
    'broker-b',
  ]);
  assert.match(sent, /SEND_OK/);
  await rocketmq.restartBroker('broker-b');
  assert.ok((await registeredBrokers(rocketmq.namesrvAddr)).includes(rocketmq.broker('broker-b').addr));
  const consumed = await mqadmin(rocketmq, ['consumeMessage', '-t', 'durable', '-b', 'broker-b', '-c', '10']);
  assert.match(consumed, /BODY: survives-restart/);
});
