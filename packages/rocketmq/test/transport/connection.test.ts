import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import {
  Connection,
  decodeFrame,
  encodeFrame,
  FrameSplitter,
  type RemotingCommand,
  SerializeType,
} from '../../src/index.ts';

// A scripted peer: enough of a server to drive the connection's edge cases. The real-broker
// behaviour is covered by the integration files.
let server: Server;
let addr: string;
let peer: Socket | undefined;
const received: RemotingCommand[] = [];
let onRequest: (cmd: RemotingCommand, socket: Socket) => void = () => {};

before(async () => {
  server = createServer((socket) => {
    peer = socket;
    const splitter = new FrameSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of splitter.push(chunk)) {
        const cmd = decodeFrame(frame);
        received.push(cmd);
        onRequest(cmd, socket);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  addr = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());

const reply = (req: RemotingCommand, extra: Partial<RemotingCommand> = {}): Buffer =>
  encodeFrame({
    code: 0,
    language: 'JAVA',
    version: 479,
    opaque: req.opaque,
    flag: 1,
    extFields: {},
    ...extra,
  });

test('responses are matched by opaque, whatever order they come in, in either header format', async () => {
  const held: RemotingCommand[] = [];
  onRequest = (cmd, socket) => {
    held.push(cmd);
    if (held.length === 2) {
      socket.write(
        encodeFrame(
          {
            code: 0,
            language: 'JAVA',
            version: 479,
            opaque: held[1]!.opaque,
            flag: 1,
            extFields: { n: '2' },
          },
          SerializeType.ROCKETMQ,
        ),
      );
      socket.write(reply(held[0]!, { extFields: { n: '1' } }));
    }
  };
  const conn = await Connection.connect(addr);
  const [a, b] = await Promise.all([
    conn.request({ code: 105, extFields: {} }, 2000),
    conn.request({ code: 106, extFields: {} }, 2000),
  ]);
  assert.equal(a.extFields.n, '1');
  assert.equal(b.extFields.n, '2');
  conn.close();
});

test('a request without an answer times out (retriable); a late answer is ignored', async () => {
  let late: (() => void) | undefined;
  // The peer answers code 106 at once and code 105 never (until `late`): it is slow, not gone.
  onRequest = (cmd, socket) => {
    if (cmd.code === 106) socket.write(reply(cmd));
    else late = () => socket.write(reply(cmd));
  };
  const conn = await Connection.connect(addr);
  const slow = conn.request({ code: 105, extFields: {} }, 300);
  await conn.request({ code: 106, extFields: {} }, 1000);
  await assert.rejects(slow, { code: 'TIMEOUT', retriable: true });
  assert.equal(conn.closed, false, 'a peer that answered others is kept');
  late?.();
  onRequest = (cmd, socket) => socket.write(reply(cmd, { extFields: { ok: 'yes' } }));
  assert.equal((await conn.request({ code: 105, extFields: {} }, 2000)).extFields.ok, 'yes');
  conn.close();
});

test('a request timing out on a peer that sent nothing meanwhile closes the connection (half-open)', async () => {
  onRequest = () => {};
  const conn = await Connection.connect(addr);
  const other = conn.request({ code: 106, extFields: {} }, 5000);
  await assert.rejects(conn.request({ code: 105, extFields: {} }, 100), /nothing received since/);
  assert.equal(conn.closed, true);
  await assert.rejects(other, { retriable: true });
});

test('server requests: unknown ones are answered "not supported", oneway ones never', async () => {
  const answers: RemotingCommand[] = [];
  onRequest = (cmd) => answers.push(cmd);
  const conn = await Connection.connect(addr, {
    onRequest: (cmd) => (cmd.code === 307 ? { extFields: {}, body: Buffer.from('{}') } : undefined),
  });
  conn.oneway({ code: 1, extFields: {} }); // makes the server see us
  while (answers.length === 0) await new Promise((r) => setTimeout(r, 10));
  const base = { language: 'JAVA' as const, version: 479, extFields: {} };
  peer!.write(encodeFrame({ ...base, code: 307, opaque: 900, flag: 0 }));
  peer!.write(encodeFrame({ ...base, code: 999, opaque: 901, flag: 0 }));
  peer!.write(encodeFrame({ ...base, code: 40, opaque: 902, flag: 2 }));
  await new Promise((r) => setTimeout(r, 200));
  const byOpaque = new Map(answers.filter((a) => a.flag === 1).map((a) => [a.opaque, a]));
  assert.equal(byOpaque.get(900)?.code, 0);
  assert.equal(byOpaque.get(900)?.body?.toString(), '{}');
  assert.equal(byOpaque.get(901)?.code, 3);
  assert.equal(byOpaque.has(902), false, 'a oneway request is never answered');
  conn.close();
});

test('a closed socket fails every pending request with a retriable CONNECTION_CLOSED', async () => {
  onRequest = (_cmd, socket) => socket.destroy();
  const conn = await Connection.connect(addr);
  await assert.rejects(conn.request({ code: 105, extFields: {} }, 5000), {
    code: 'CONNECTION_CLOSED',
    retriable: true,
  });
  assert.equal(conn.closed, true);
  await assert.rejects(conn.request({ code: 105, extFields: {} }, 5000), { code: 'CONNECTION_CLOSED' });
});

test('connecting to a closed port fails fast and retriably', async () => {
  await assert.rejects(Connection.connect('127.0.0.1:1'), { code: 'CONNECTION_FAILED', retriable: true });
  await assert.rejects(Connection.connect('no-port'), { code: 'INVALID_ARGUMENT' });
});
