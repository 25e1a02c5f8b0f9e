import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync, zstdCompressSync } from 'node:zlib';
import { createOffsetMsgId, decodeMessages, decodeOffsetMsgId, encodeProperties } from '../../src/index.ts';
import { storedMessage as record } from './stored-message.ts';

test('a V1 record decodes every field; the offset message id is derived from store host and offset', () => {
  const [m] = decodeMessages(
    record({
      body: Buffer.from('héllo'),
      topic: 'TopicTest',
      properties: { TAGS: 'TagA', KEYS: 'k1 k2', UNIQ_KEY: 'ABC', color: 'blue' },
    }),
  );
  assert.ok(m);
  assert.equal(m.topic, 'TopicTest');
  assert.equal(m.queueId, 3);
  assert.equal(m.flag, 7);
  assert.equal(m.queueOffset, 42n);
  assert.equal(m.commitLogOffset, 1_000_000n);
  assert.equal(m.bornTimestamp, 1_700_000_000_000);
  assert.equal(m.storeTimestamp, 1_700_000_000_123);
  assert.equal(m.bornHost, '10.0.0.1:12345');
  assert.equal(m.storeHost, '127.0.0.1:10911');
  assert.equal(m.reconsumeTimes, 2);
  assert.equal(m.body.toString(), 'héllo');
  assert.equal(m.tags, 'TagA');
  assert.deepEqual(m.keys, ['k1', 'k2']);
  assert.deepEqual(m.userProperties, { color: 'blue' });
  assert.equal(m.msgId, 'ABC');
  assert.equal(m.offsetMsgId, '7F00000100002A9F00000000000F4240');
  assert.equal(m.version, 1);
  assert.deepEqual(decodeOffsetMsgId(m.offsetMsgId), {
    addr: '127.0.0.1:10911',
    commitLogOffset: 1_000_000n,
  });
});

test('compressed bodies: zlib with and without a type, zstd', () => {
  const body = Buffer.from('x'.repeat(10_000));
  const recs = Buffer.concat([
    record({ sysFlag: 0x1, body: deflateSync(body), topic: 't', properties: {} }),
    record({ sysFlag: 0x301, body: deflateSync(body), topic: 't', properties: {} }),
    record({ sysFlag: 0x201, body: zstdCompressSync(body), topic: 't', properties: {} }),
  ]);
  const msgs = decodeMessages(recs);
  assert.equal(msgs.length, 3);
  for (const m of msgs) assert.ok(m.body.equals(body));
});

test('LZ4 bodies are refused with a clear error', () => {
  assert.throws(
    () => decodeMessages(record({ sysFlag: 0x101, body: Buffer.from('abc'), topic: 't', properties: {} })),
    {
      code: 'UNSUPPORTED',
    },
  );
});

test('V2 records (2-byte topic length) and IPv6 hosts', () => {
  const topic = 'T'.repeat(200);
  const v6 = Buffer.concat([
    Buffer.from('20010db8000000000000000000000001', 'hex'),
    Buffer.from([0, 0, 0x2a, 0x9f]),
  ]);
  const [m] = decodeMessages(
    record({
      magic: 0xdaa320ab | 0,
      sysFlag: 0x30,
      body: Buffer.alloc(0),
      topic,
      properties: {},
      bornHost: v6,
      storeHost: v6,
    }),
  );
  assert.ok(m);
  assert.equal(m.topic, topic);
  assert.equal(m.version, 2);
  assert.equal(m.storeHost, '[2001:0db8:0000:0000:0000:0000:0000:0001]:10911');
  assert.equal(m.offsetMsgId.length, 56);
  assert.equal(m.body.length, 0);
});

test('truncated records are a PROTOCOL_ERROR', () => {
  const rec = record({ body: Buffer.from('abc'), topic: 't', properties: {} });
  assert.throws(() => decodeMessages(rec.subarray(0, rec.length - 3)), { code: 'PROTOCOL_ERROR' });
  const bad = Buffer.from(rec);
  bad.writeInt32BE(0x12345678, 4);
  assert.throws(() => decodeMessages(bad), { code: 'PROTOCOL_ERROR' });
});

test('offset message ids round-trip', () => {
  const id = createOffsetMsgId(Buffer.from([192, 168, 0, 1, 0, 0, 0x27, 0x0f]), 123456789n);
  assert.deepEqual(decodeOffsetMsgId(id), { addr: '192.168.0.1:9999', commitLogOffset: 123456789n });
});
