import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';

function clientIp(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/**
 * `ip@instance`, as Java builds it (spec §8.1). The id must be unique per client in a group: two
 * consumers with one id get the same queues. Brokers list it back in the group's consumer list.
 */
export function makeClientId(instanceName?: string): string {
  return `${clientIp()}@${instanceName ?? `${process.pid}#${randomBytes(6).toString('hex')}`}`;
}
