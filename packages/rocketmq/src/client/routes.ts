import { RocketMQError } from '../errors.ts';
import type { TopicRouteData } from '../requests/get-route-info.ts';
import type { NameServerClient } from './name-server.ts';

/**
 * Topic routes, cached and refreshed in the background every `refreshMs` for the topics in use,
 * and at once on demand (after a send to a broker failed, say). Broker addresses are learnt from
 * the routes and from cluster info.
 */
export class RouteCache {
  readonly #ns: NameServerClient;
  readonly #routes = new Map<string, TopicRouteData>();
  readonly #inflight = new Map<string, Promise<TopicRouteData | undefined>>();
  readonly #brokers = new Map<string, Record<string, string>>();
  readonly #timer: NodeJS.Timeout;

  constructor(ns: NameServerClient, refreshMs = 30_000) {
    this.#ns = ns;
    this.#timer = setInterval(() => void this.#refreshAll(), refreshMs);
    this.#timer.unref();
  }

  /** The topic's route; throws NO_ROUTE when the name server has none. */
  async get(topic: string, opts: { refresh?: boolean } = {}): Promise<TopicRouteData> {
    const cached = opts.refresh ? undefined : this.#routes.get(topic);
    if (cached) return cached;
    const route = await this.#fetch(topic);
    if (!route) {
      throw new RocketMQError('NO_ROUTE', `no route for topic ${topic}: it does not exist on any broker`, {
        retriable: true,
      });
    }
    return route;
  }

  /** Address of a broker (master by default), from the routes and cluster info seen so far. */
  async brokerAddr(brokerName: string, brokerId = 0): Promise<string> {
    let addrs = this.#brokers.get(brokerName);
    if (!addrs?.[String(brokerId)]) {
      const info = await this.#ns.clusterInfo();
      for (const b of Object.values(info.brokerAddrTable)) this.#brokers.set(b.brokerName, b.brokerAddrs);
      addrs = this.#brokers.get(brokerName);
    }
    const addr = addrs?.[String(brokerId)] ?? (brokerId !== 0 ? addrs?.['0'] : undefined);
    if (!addr) {
      throw new RocketMQError(
        'NO_ROUTE',
        `broker ${brokerName} has no ${brokerId === 0 ? 'master' : `id ${brokerId}`} address`,
        {
          retriable: true,
        },
      );
    }
    return addr;
  }

  /** Every broker address known from the cached routes (heartbeats go to all of them). */
  knownBrokerAddrs(): string[] {
    const out = new Set<string>();
    for (const addrs of this.#brokers.values()) for (const a of Object.values(addrs)) out.add(a);
    return [...out];
  }

  forget(topic: string): void {
    this.#routes.delete(topic);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #fetch(topic: string): Promise<TopicRouteData | undefined> {
    let pending = this.#inflight.get(topic);
    if (!pending) {
      pending = this.#ns.routeInfo(topic).then(
        (route) => {
          this.#inflight.delete(topic);
          if (route) {
            this.#routes.set(topic, route);
            for (const b of route.brokerDatas) this.#brokers.set(b.brokerName, b.brokerAddrs);
          } else this.#routes.delete(topic);
          return route;
        },
        (err: unknown) => {
          this.#inflight.delete(topic);
          throw err;
        },
      );
      this.#inflight.set(topic, pending);
    }
    return pending;
  }

  async #refreshAll(): Promise<void> {
    for (const topic of [...this.#routes.keys()]) {
      // A failed refresh keeps the last known route: better stale than none while a name server is down.
      await this.#fetch(topic).catch(() => undefined);
    }
  }
}
