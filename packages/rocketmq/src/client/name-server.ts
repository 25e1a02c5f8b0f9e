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
 * be reached, so one name server down costs a reconnect, not an error. Name servers share
 * nothing: one that just restarted knows no broker and no route until the brokers' next
 * registration (every 30 s), so an empty answer about routes or brokers is checked with the
 * others before it is believed.
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

  invoke(req: Request): Promise<RemotingCommand> {
    return this.#ask(
      req,
      (cmd) => cmd,
      () => false,
    );
  }

  /** One name server, the next while it cannot be reached or its answer is `empty`. */
  async #ask<T>(req: Request, decode: (cmd: RemotingCommand) => T, empty: (value: T) => boolean): Promise<T> {
    let emptyAnswer: { value: T } | undefined;
    let lastError: unknown;
    for (let i = 0; i < this.addrs.length; i++) {
      const at = (this.#current + i) % this.addrs.length;
      try {
        const value = decode(await this.#remoting.invoke(this.addrs[at]!, req, this.#timeoutMs));
        if (!empty(value)) {
          this.#current = at;
          return value;
        }
        emptyAnswer ??= { value };
      } catch (err) {
        if (!isRetriable(err)) throw err;
        lastError = err;
      }
    }
    if (emptyAnswer) return emptyAnswer.value;
    throw new RocketMQError('CONNECTION_FAILED', `no name server answered (${this.addrs.join(';')})`, {
      retriable: true,
      cause: lastError,
    });
  }

  routeInfo(topic: string): Promise<TopicRouteData | undefined> {
    return this.#ask(
      encodeGetRouteInfo(topic),
      (cmd) => decodeGetRouteInfo(cmd, topic),
      (route) => route === undefined || route.queueDatas.length === 0,
    );
  }

  clusterInfo(): Promise<ClusterInfo> {
    return this.#ask(
      encodeGetBrokerClusterInfo(),
      decodeGetBrokerClusterInfo,
      (info) => Object.keys(info.brokerAddrTable).length === 0,
    );
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
