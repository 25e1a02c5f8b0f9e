import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { registeredBrokers } from '../src/index.ts';

// A scripted peer stands in for a name server here: this tests the probe's framing and its
// reading of the non-standard JSON, not RocketMQ (the integration files do that).
test('registeredBrokers reads broker addresses from cluster info with unquoted numeric keys', async () => {
  const body = Buffer.from(
    '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}',
  );
  const server = createServer((socket: Socket) => {
    socket.once('data', (request: Buffer) => {
      const headerLength = request.readInt32BE(4) & 0xffffff;
      const header = JSON.parse(request.subarray(8, 8 + headerLength).toString()) as {
        code: number;
        opaque: number;
      };
      assert.equal(header.code, 106);
      const reply = Buffer.from(
        JSON.stringify({ code: 0, flag: 1, opaque: header.opaque, language: 'JAVA' }),
      );
      const frame = Buffer.alloc(8);
      frame.writeInt32BE(4 + reply.length + body.length, 0);
      frame.writeInt32BE(reply.length, 4);
      // Split the answer over two writes: the probe must reassemble frames.
      socket.write(Buffer.concat([frame, reply.subarray(0, 5)]));
      setTimeout(() => socket.end(Buffer.concat([reply.subarray(5), body])), 20);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as { port: number };
    assert.deepEqual(await registeredBrokers(`127.0.0.1:${port}`), ['127.0.0.1:10911']);
  } finally {
    server.close();
  }
});
