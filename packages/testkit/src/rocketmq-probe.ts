import { connect } from 'node:net';

// The testkit checks broker readiness with its own few lines of the remoting protocol rather
// than with @sluice/rocketmq: the kit must not depend on the client it is used to test.

const GET_BROKER_CLUSTER_INFO = 106;

export interface ProbeAnswer {
  code: number;
  remark?: string;
  body: string;
}

/** Sends one JSON-header remoting request and returns the response code, remark and body text. */
export function remotingRequest(addr: string, code: number, timeoutMs = 2000): Promise<ProbeAnswer> {
  const [host, port] = splitAddr(addr);
  const header = Buffer.from(
    JSON.stringify({
      code,
      flag: 0,
      language: 'JAVA',
      opaque: 1,
      serializeTypeCurrentRPC: 'JSON',
      version: 0,
    }),
  );
  const frame = Buffer.alloc(8 + header.length);
  frame.writeInt32BE(4 + header.length, 0);
  frame.writeInt32BE(header.length, 4);
  header.copy(frame, 8);

  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${addr} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      clearTimeout(timer);
      socket.destroy();
      const total = received.readInt32BE(0);
      const headerLength = received.readInt32BE(4) & 0xffffff;
      const parsed = JSON.parse(received.subarray(8, 8 + headerLength).toString('utf8')) as {
        code: number;
        remark?: string;
      };
      resolve({
        code: parsed.code,
        ...(parsed.remark === undefined ? {} : { remark: parsed.remark }),
        body: received.subarray(8 + headerLength, 4 + total).toString('utf8'),
      });
    });
  });
}

/** The addresses of every broker the name server has registered (its cluster info, read loosely). */
export async function registeredBrokers(namesrvAddr: string): Promise<string[]> {
  const answer = await remotingRequest(namesrvAddr, GET_BROKER_CLUSTER_INFO);
  if (answer.code !== 0) throw new Error(`cluster info failed: ${answer.code} ${answer.remark ?? ''}`);
  // brokerAddrs is {0:"host:port"} with an unquoted key; a regexp is all a readiness probe needs.
  return [...answer.body.matchAll(/"(\d+\.\d+\.\d+\.\d+:\d+)"/g)].map((m) => m[1]!);
}

export function splitAddr(addr: string): [string, number] {
  const colon = addr.lastIndexOf(':');
  return [addr.slice(0, colon), Number(addr.slice(colon + 1))];
}
