import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { javaPeer, useBrokers } from '@sluice/testkit';
import { Admin, decodeProperties, type MessageExt, Producer, PullConsumer } from '../../src/index.ts';

// RocketMQ's own Java client on one side, ours on the other.
const brokers = useBrokers({ kafka: false });
let admin: Admin;
let producer: Producer;
let consumer: PullConsumer;

before(async () => {
  const { namesrvAddr } = (await brokers.ready()).rocketmq!;
  admin = new Admin({ namesrvAddr });
  producer = new Producer({ namesrvAddr });
  consumer = new PullConsumer({ namesrvAddr, group: 'interop-node' });
});
after(async () => {
  await consumer?.close();
  producer?.close();
  admin?.close();
});

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

test('messages sent by the Java client decode correctly, compressed ones included', async () => {
  const rocketmq = brokers().rocketmq!;
  await admin.createTopic('from-java', { readQueueNums: 2, writeQueueNums: 2 });
  // 20 small messages, then 5 of 10 KB that the Java client compresses with zlib.
  const sentSmall = await javaPeer(rocketmq, ['produce', rocketmq.namesrvAddr, 'from-java', '20', '10']);
  const sentBig = await javaPeer(rocketmq, ['produce', rocketmq.namesrvAddr, 'from-java', '5', '10000']);
  const ids = [...sentSmall, ...sentBig].map((l) => l.split('\t')[1]);
  assert.equal(ids.length, 25);

  const got: MessageExt[] = [];
  for (const q of await consumer.queues('from-java')) {
    let offset = 0n;
    for (;;) {
      const r = await consumer.pull(q, offset);
      got.push(...r.messages);
      offset = r.nextBeginOffset;
      if (r.status !== 'FOUND') break;
    }
  }
  assert.equal(got.length, 25);
  assert.deepEqual(new Set(got.map((m) => m.msgId)), new Set(ids), 'the UNIQ_KEY ids Java reported');
  const compressed = got.filter((m) => (m.sysFlag & 1) === 1);
  assert.equal(compressed.length, 5, 'the 10 KB bodies arrived compressed');
  for (const m of got) {
    const seq = Number(m.userProperties.seq);
    assert.match(m.body.toString('utf8'), new RegExp(`^java-${seq}-ünïcødé-订单-`));
    assert.equal(m.tags, 'TagJava');
    assert.deepEqual(m.keys, [`jk${seq}`, 'shared']);
    assert.deepEqual(m.userProperties, { lang: 'java ☕', seq: String(seq) });
    assert.equal(m.topic, 'from-java');
    assert.match(m.bornHost, /^\d+\.\d+\.\d+\.\d+:\d+$/);
  }
});

test('messages we send are read correctly by the Java client', async () => {
  const rocketmq = brokers().rocketmq!;
  await admin.createTopic('to-java', { readQueueNums: 2, writeQueueNums: 2 });
  const sent = [
    {
      topic: 'to-java',
      body: 'small ünïcødé 订单',
      tags: 'TagNode',
      keys: ['nk1', 'nk2'],
      properties: { p: 'ö ✓' },
    },
    {
      topic: 'to-java',
      body: Buffer.alloc(20_000, 'compress me '),
      tags: 'TagNode',
      keys: 'big',
      properties: { p: 'big' },
    },
  ];
  for (const m of sent) await producer.send(m);
  await producer.sendBatch([
    { topic: 'to-java', body: 'in a batch', tags: 'TagBatch', keys: 'b', properties: { p: 'batch' } },
    { topic: 'to-java', body: '', properties: { p: 'empty' } },
  ]);
  const lines = await javaPeer(rocketmq, ['consume', rocketmq.namesrvAddr, 'to-java', 'interop-java', '4']);
  const msgs = lines.map((l) => {
    const [, , , , body, tags, keys, user] = l.split('\t');
    return { body: Buffer.from(body!, 'base64'), tags: b64(tags!), keys: b64(keys!), user: b64(user!) };
  });
  assert.equal(msgs.length, 4);
  const byP = new Map(msgs.map((m) => [decodeProperties(m.user).p, m]));
  assert.equal(byP.get('ö ✓')?.body.toString(), 'small ünïcødé 订单');
  assert.equal(byP.get('ö ✓')?.tags, 'TagNode');
  assert.equal(byP.get('ö ✓')?.keys, 'nk1 nk2');
  assert.ok(byP.get('big')?.body.equals(Buffer.alloc(20_000, 'compress me ')), 'Java inflated our zlib body');
  assert.equal(byP.get('batch')?.body.toString(), 'in a batch');
  assert.equal(byP.get('batch')?.tags, 'TagBatch');
  assert.equal(byP.get('empty')?.body.length, 0);
});
