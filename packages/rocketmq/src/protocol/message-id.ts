import { randomInt } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/** The offset message id: store host (IP bytes + port) then commit-log offset, upper-case hex (spec §6.4). */
export function createOffsetMsgId(storeHostBytes: Buffer, commitLogOffset: bigint): string {
  return offsetMsgIdFromHex(storeHostBytes.toString('hex').toUpperCase(), commitLogOffset);
}

/** The same, from the store host already in upper-case hex (a decoder keeps it per host). */
export function offsetMsgIdFromHex(storeHostHex: string, commitLogOffset: bigint): string {
  return storeHostHex + BigInt.asUintN(64, commitLogOffset).toString(16).toUpperCase().padStart(16, '0');
}

export function decodeOffsetMsgId(id: string): { addr: string; commitLogOffset: bigint } {
  const bytes = Buffer.from(id, 'hex');
  const ipLength = bytes.length === 28 ? 16 : 4;
  const ip = bytes.subarray(0, ipLength);
  const port = bytes.readInt32BE(ipLength);
  const host = ipLength === 4 ? [...ip].join('.') : (ip.toString('hex').match(/.{4}/g) ?? []).join(':');
  return { addr: `${host}:${port}`, commitLogOffset: bytes.readBigInt64BE(ipLength + 4) };
}

function localIpv4(): Buffer {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) return Buffer.from(a.address.split('.').map(Number));
    }
  }
  return Buffer.from([127, 0, 0, 1]);
}

/**
 * Makes UNIQ_KEY ids with Java's layout (IP, pid, a per-process int, ms since the start of the
 * month, a counter), so Java tools can read the time and host back out of them.
 */
export class UniqueIdGenerator {
  readonly #prefix: string;
  #monthStart = 0;
  #nextMonth = 0;
  #counter = 0;

  constructor() {
    const head = Buffer.allocUnsafe(10);
    localIpv4().copy(head, 0);
    head.writeInt16BE(process.pid & 0x7fff, 4);
    head.writeInt32BE(randomInt(0x7fffffff), 6);
    this.#prefix = head.toString('hex').toUpperCase();
  }

  next(): string {
    const now = Date.now();
    if (now >= this.#nextMonth) {
      const d = new Date(now);
      this.#monthStart = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
      this.#nextMonth = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
    }
    // The time as a 32-bit big-endian int, then the counter as 16 bits: in hex, no Buffer.
    const time = ((now - this.#monthStart) | 0) >>> 0;
    const tail = time.toString(16).padStart(8, '0') + this.#counter.toString(16).padStart(4, '0');
    this.#counter = (this.#counter + 1) & 0xffff;
    return this.#prefix + tail.toUpperCase();
  }
}
