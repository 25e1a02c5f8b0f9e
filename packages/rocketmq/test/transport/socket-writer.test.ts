import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import type { RocketMQError } from '../../src/errors.ts';
import {
  Connection,
  decodeFrame,
  encodeFrame,
  FrameSplitter,
  type RemotingCommand,
} from '../../src/index.ts';
import { SocketWriter } from '../../src/transport/socket-writer.ts';

// A local peer that records the frames it receives whole, and can stop reading (as a frozen or
// busy broker does) so that the kernel's buffers fill and bytes wait in this process.
let server: Server;
let port: number;
/** Every socket of both ends, destroyed at the end whatever happened. */
const sockets: Socket[] = [];
let peers: { socket: Socket; frames: RemotingCommand[]; bytes: number; closed: Promise<void> }[] = [];

before(async () => {
  server = createServer((socket) => {
    const splitter = new FrameSplitter();
    const peer = {
      socket,
      frames: [] as RemotingCommand[],
      bytes: 0,
      closed: once(socket, 'close').then(() => {}),
    };
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      peer.bytes += chunk.length;
      for (const frame of splitter.push(chunk)) peer.frames.push(decodeFrame(frame));
    });
    peers.push(peer);
    sockets.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as { port: number }).port;
});
after(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

async function open(): Promise<{ socket: Socket; peer: (typeof peers)[number] }> {
  peers = [];
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  await once(socket, 'connect');
  while (peers.length === 0) await new Promise((r) => setImmediate(r));
  return { socket, peer: peers[0]! };
}

const frame = (opaque: number, body?: Buffer): Buffer[] => {
  const whole = encodeFrame({ code: 10, language: 'JAVA', version: 1, opaque, flag: 0, extFields: {}, body });
  // As the connection writes it: head and body apart.
  return body ? [whole.subarray(0, whole.length - body.length), body] : [whole];
};

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('plain and fenced frames arrive whole and in the order written, also when written mid-frame', async () => {
  const { socket, peer } = await open();
  const cuts: Error[] = [];
  const writer = new SocketWriter(socket, (e) => cuts.push(e));
  const results: (string | undefined)[] = [];
  for (let i = 0; i < 200; i++) {
    const body = i % 3 === 0 ? undefined : Buffer.alloc(i * 97, i);
    // Every other frame is fenced: the plain ones written right after wait behind its head.
    if (i % 2 === 0)
      writer.writeFenced(
        frame(i, body),
        () => true,
        (err) => results.push(err?.code),
      );
    else writer.write(frame(i, body));
  }
  await until('200 frames', () => peer.frames.length === 200);
  assert.deepEqual(
    peer.frames.map((f) => f.opaque),
    Array.from({ length: 200 }, (_, i) => i),
  );
  assert.deepEqual(peer.frames[5]!.body, Buffer.alloc(5 * 97, 5));
  assert.deepEqual(results, Array(100).fill(undefined));
  assert.deepEqual(cuts, []);
  socket.destroy();
});

test('a fence that says no before the first byte: nothing is written, the frames after it go', async () => {
  const { socket, peer } = await open();
  const writer = new SocketWriter(socket, () => assert.fail('no cut needed'));
  let outcome: RocketMQError | undefined;
  writer.writeFenced(
    frame(1, Buffer.from('late')),
    () => false,
    (err) => (outcome = err),
  );
  writer.write(frame(2));
  await until('frame 2', () => peer.frames.length === 1);
  assert.equal(outcome?.code, 'ABORTED');
  assert.deepEqual(
    peer.frames.map((f) => f.opaque),
    [2],
  );
  socket.destroy();
});

test('a fence that closes while the head still waits in this process: the peer never gets the frame', async () => {
  const { socket, peer } = await open();
  peer.socket.pause();
  let cut: Error | undefined;
  const writer = new SocketWriter(socket, (e) => {
    cut = e;
    socket.destroy();
  });
  let allowed = true;
  let outcome: { err?: RocketMQError | undefined } | undefined;
  // 12 MiB: more than loopback's buffers hold while the peer does not read.
  const body = Buffer.alloc(12 * 1024 * 1024, 7);
  const parts = frame(1, body);
  const frameBytes = parts.reduce((n, p) => n + p.length, 0);
  writer.writeFenced(
    parts,
    () => allowed,
    (err) => (outcome = { err }),
  );
  writer.write(frame(2));
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(socket.writableLength > 0, 'part of the frame waits in this process');
  allowed = false;
  peer.socket.resume();
  await peer.closed;
  assert.equal(outcome?.err?.code, 'ABORTED');
  assert.match(String(cut), /cut off before its last byte/);
  assert.equal(peer.frames.length, 0, 'no frame completed: not the fenced one, not the one behind it');
  assert.ok(peer.bytes < frameBytes, `the peer got ${peer.bytes} of the frame's ${frameBytes} bytes`);
});

test('Connection.request with a fence: ABORTED (not retriable) for it, CONNECTION_CLOSED for the rest', async () => {
  peers = [];
  const conn = await Connection.connect(`127.0.0.1:${port}`);
  after(() => conn.close());
  await until('peer', () => peers.length === 1);
  const peer = peers[0]!;
  peer.socket.pause();
  let allowed = true;
  const other = conn.request({ code: 11, extFields: {} }, 10_000);
  const fenced = conn.request(
    { code: 10, extFields: {}, body: Buffer.alloc(12 * 1024 * 1024) },
    10_000,
    () => allowed,
  );
  const behind = conn.request({ code: 12, extFields: {} }, 10_000);
  await new Promise((r) => setTimeout(r, 100));
  allowed = false;
  peer.socket.resume();
  const [a, b, c] = await Promise.allSettled([other, fenced, behind]);
  const reason = (s: PromiseSettledResult<unknown>) =>
    s.status === 'rejected' ? (s.reason as RocketMQError) : undefined;
  assert.equal(reason(b)?.code, 'ABORTED');
  assert.equal(reason(b)?.retriable, false);
  for (const s of [a, c]) {
    assert.equal(reason(s)?.code, 'CONNECTION_CLOSED');
    assert.equal(reason(s)?.retriable, true);
  }
  assert.equal(conn.closed, true);
  await peer.closed;
  assert.deepEqual(
    peer.frames.map((f) => f.code),
    [11],
    'the peer got the request before, and nothing of the fenced one or after',
  );
});
