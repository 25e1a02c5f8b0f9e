import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { after, test } from 'node:test';
import {
  decodeFrame,
  encodeFrame,
  FrameSplitter,
  NameServerClient,
  RemotingClient,
  RequestCode,
  ResponseCode,
} from '../../src/index.ts';

// Two scripted name servers: one just restarted (it knows nothing yet), one that knows the
// cluster. Whichever the client asks first, it must not believe the empty one.

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

const ROUTE = {
  brokerDatas: [{ cluster: 'c', brokerName: 'broker-a', brokerAddrs: { '0': '127.0.0.1:10911' } }],
  queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
};
const CLUSTER = {
  brokerAddrTable: { 'broker-a': ROUTE.brokerDatas[0] },
  clusterAddrTable: { c: ['broker-a'] },
};

async function nameServer(knows: boolean): Promise<string> {
  const server = createServer((socket) => {
    const splitter = new FrameSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of splitter.push(chunk)) {
        const req = decodeFrame(frame);
        const answer = (code: number, body?: unknown) =>
          socket.write(
            encodeFrame({
              code,
              language: 'JAVA',
              version: 479,
              opaque: req.opaque,
              flag: 1,
              extFields: {},
              ...(body ? { body: Buffer.from(JSON.stringify(body)) } : {}),
            }),
          );
        if (req.code === RequestCode.GET_ROUTEINFO_BY_TOPIC)
          knows ? answer(0, ROUTE) : answer(ResponseCode.TOPIC_NOT_EXIST);
        else if (req.code === RequestCode.GET_BROKER_CLUSTER_INFO)
          answer(0, knows ? CLUSTER : { brokerAddrTable: {}, clusterAddrTable: {} });
      }
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

test('a name server that knows nothing yet is not believed while another knows the route and brokers', async () => {
  const empty = await nameServer(false);
  const full = await nameServer(true);
  const remoting = new RemotingClient();
  try {
    for (const addrs of [
      [empty, full],
      [full, empty],
    ]) {
      // The first name server asked is random: try enough times to have started at each.
      for (let i = 0; i < 8; i++) {
        const ns = new NameServerClient(remoting, addrs, 1000);
        assert.equal((await ns.routeInfo('t'))?.queueDatas.length, 1);
        assert.deepEqual(Object.keys((await ns.clusterInfo()).brokerAddrTable), ['broker-a']);
      }
    }
    // When every one of them knows nothing, that is the answer.
    const ns = new NameServerClient(remoting, [empty], 1000);
    assert.equal(await ns.routeInfo('t'), undefined);
  } finally {
    remoting.close();
  }
});
