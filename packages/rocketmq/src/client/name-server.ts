import { isRetriable, RocketMQError } from '../errors.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import {
  decodeDeleteTopicInNamesrv,
  encodeDeleteTopicInNamesrv,
} from '../requests/delete-topic-in-namesrv.ts';
import { decodeGetAllTopicList, encodeGetAllTopicList } from '../requests/get-all-topic-list.ts';
import {
  type ClusterInfo,
  decodeGetBrokerClusterInfo,
  encodeGetBrokerClusterInfo,
} from '../requests/get-broker-cluster-info.ts';
import { decodeGetRouteInfo, encodeGetRouteInfo, type TopicRouteData } from '../requests/get-route-info.ts';
import type { RemotingClient } from '../transport/remoting-client.ts';
import type { Request } from '../transport/request.ts';

/**
 * Talks to the name servers. Requests go to one of them and move on to the next when it cannot
 * be reached, so one name server down costs a reconnect, not an error.
 */
export class NameServerClient {
  readonly addrs: readonly string[];
  readonly #remoting: RemotingClient;
  readonly #timeoutMs: number;
  #current: number;

  constructor(remoting: RemotingClient, addrs: readonly string[], timeoutMs = 3000) {
    this.#remoting = remoting;
    this.addrs = addrs;
    this.#timeoutMs = timeoutMs;
    this.#current = Math.floor(Math.random() * addrs.length);
  }

  async invoke(req: Request): Promise<RemotingCommand> {
    let lastError: unknown;
    for (let i = 0; i < this.addrs.length; i++) {
      const addr = this.addrs[(this.#current + i) % this.addrs.length]!;
      try {
        const response = await this.#remoting.invoke(addr, req, this.#timeoutMs);
        this.#current = (this.#current + i) % this.addrs.length;
        return response;
      } catch (err) {
        if (!isRetriable(err)) throw err;
        lastError = err;
      }
    }
    throw new RocketMQError('CONNECTION_FAILED', `no name server answered (${this.addrs.join(';')})`, {
      retriable: true,
      cause: lastError,
    });
  }

  async routeInfo(topic: string): Promise<TopicRouteData | undefined> {
    return decodeGetRouteInfo(await this.invoke(encodeGetRouteInfo(topic)), topic);
  }

  async clusterInfo(): Promise<ClusterInfo> {
    return decodeGetBrokerClusterInfo(await this.invoke(encodeGetBrokerClusterInfo()));
  }

  async topicList(): Promise<string[]> {
    return decodeGetAllTopicList(await this.invoke(encodeGetAllTopicList()));
  }

  /** Removes a topic's route from every name server. */
  async deleteTopic(topic: string, clusterName?: string): Promise<void> {
    await Promise.all(
      this.addrs.map(async (addr) =>
        decodeDeleteTopicInNamesrv(
          await this.#remoting.invoke(addr, encodeDeleteTopicInNamesrv(topic, clusterName), this.#timeoutMs),
          topic,
        ),
      ),
    );
  }
}
