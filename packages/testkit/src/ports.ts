import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

// Ports handed out by this process but maybe not bound yet by the broker they are meant for.
const handedOut = new Set<number>();

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The kernel's range for the local ports of outgoing connections. A port we pick inside it can
 * be taken by any client socket between our check and the broker's bind (CI saw a broker die
 * with exit 255 that way), so candidates come from below it.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low as number, high as number];
  } catch {
    // not Linux: fall through to the IANA range
  }
  return [49152, 65535];
}

const POOL_LOW = 10000;

function candidate(): number {
  const [low] = ephemeralRange();
  const high = low - 10; // room for +offsets below the ephemeral range
  if (high - POOL_LOW < 1000) return 0; // odd kernel setting: let the kernel choose
  return POOL_LOW + 10 + Math.floor(Math.random() * (high - POOL_LOW - 10));
}

/**
 * A free port P on 127.0.0.1 such that P+offset is free too for every offset given.
 * RocketMQ's broker derives ports from its listen port (fast port P-2, HA port P+1), so a
 * broker needs a small free neighbourhood, not one port.
 */
export async function freePort(offsets: readonly number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = await listen(candidate());
    if (!first) continue;
    const port = (first.address() as { port: number }).port;
    const held: Server[] = [first];
    let ok = !handedOut.has(port);
    for (const offset of offsets) {
      const other = port + offset;
      if (!ok || other < 1024 || other > 65535 || handedOut.has(other)) {
        ok = false;
        break;
      }
      const server = await listen(other);
      if (!server) {
        ok = false;
        break;
      }
      held.push(server);
    }
    await Promise.all(held.map(close));
    if (ok) {
      handedOut.add(port);
      for (const offset of offsets) handedOut.add(port + offset);
      return port;
    }
  }
  throw new Error('no free port found on 127.0.0.1');
}
