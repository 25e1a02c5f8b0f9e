import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeFrame,
  encodeFrame,
  FrameSplitter,
  type RemotingCommand,
  SerializeType,
} from '../../src/index.ts';

const routeRequest: RemotingCommand = {
  code: 105,
  language: 'JAVA',
  version: 401,
  opaque: 1,
  flag: 0,
  extFields: { topic: 'TopicTest' },
};

test('a JSON route request frame matches the spec vector (131-byte header)', () => {
  const frame = encodeFrame(routeRequest);
  assert.equal(frame.subarray(0, 8).toString('hex'), '0000008700000083');
  assert.equal(
    frame.subarray(8).toString('utf8'),
    '{"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":401}',
  );
});

test('a binary route request frame matches the spec vector', () => {
  const frame = encodeFrame(routeRequest, SerializeType.ROCKETMQ);
  const expected =
    '0000002d01000029' +
    '00690001910000000100000000' +
    '00000000' +
    '00000014' +
    '0005746f706963' +
    '00000009546f70696354657374';
  assert.equal(frame.toString('hex'), expected);
});

test('both header serializations decode to the same command, body included', () => {
  const cmd: RemotingCommand = { ...routeRequest, remark: 'ünïcode remark', body: Buffer.from([1, 2, 3]) };
  for (const type of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
    const decoded = decodeFrame(encodeFrame(cmd, type).subarray(4));
    assert.deepEqual({ ...decoded, body: [...(decoded.body ?? [])] }, { ...cmd, body: [1, 2, 3] });
  }
});

test('binary headers read a zero length as absent, as Java does', () => {
  const decoded = decodeFrame(
    encodeFrame({ ...routeRequest, extFields: { a: '', b: 'x' } }, SerializeType.ROCKETMQ).subarray(4),
  );
  assert.deepEqual(decoded.extFields, { b: 'x' });
  assert.equal(decoded.remark, undefined);
});

test('binary headers refuse codes that do not fit 16 bits', () => {
  assert.throws(() => encodeFrame({ ...routeRequest, code: 200050 }, SerializeType.ROCKETMQ), /does not fit/);
});

test('the splitter reassembles frames cut anywhere, and several frames in one chunk', () => {
  const a = encodeFrame({ ...routeRequest, opaque: 1, body: Buffer.alloc(70_000, 7) });
  const b = encodeFrame({ ...routeRequest, opaque: 2 });
  const stream = Buffer.concat([a, b, a]);
  for (const cut of [1, 3, 4, 5, 100, 65_536]) {
    const splitter = new FrameSplitter();
    const frames: Buffer[] = [];
    for (let at = 0; at < stream.length; at += cut)
      frames.push(...splitter.push(stream.subarray(at, at + cut)));
    assert.deepEqual(
      frames.map((f) => decodeFrame(f).opaque),
      [1, 2, 1],
    );
    assert.equal(decodeFrame(frames[0]!).body?.length, 70_000);
  }
});

test('the splitter rejects a frame length beyond 16 MiB', () => {
  const bad = Buffer.alloc(8);
  bad.writeInt32BE(16 * 1024 * 1024 + 1, 0);
  assert.throws(() => new FrameSplitter().push(bad), /invalid frame length/);
});

test('a malformed JSON header is a PROTOCOL_ERROR', () => {
  const header = Buffer.from('{"code":');
  const frame = Buffer.alloc(4 + header.length);
  frame.writeInt32BE(header.length, 0);
  header.copy(frame, 4);
  assert.throws(() => decodeFrame(frame), { code: 'PROTOCOL_ERROR' });
});
