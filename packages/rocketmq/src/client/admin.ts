import { RocketMQError } from '../errors.ts';
import {
  decodeDeleteSubscriptionGroup,
  encodeDeleteSubscriptionGroup,
} from '../requests/delete-subscription-group.ts';
import { decodeDeleteTopicInBroker, encodeDeleteTopicInBroker } from '../requests/delete-topic-in-broker.ts';
import type { ClusterInfo } from '../requests/get-broker-cluster-info.ts';
import type { TopicRouteData } from '../requests/get-route-info.ts';
import {
  decodeUpdateAndCreateSubscriptionGroup,
  encodeUpdateAndCreateSubscriptionGroup,
  type SubscriptionGroupConfig,
} from '../requests/update-and-create-subscription-group.ts';
import {
  decodeUpdateAndCreateTopic,
  encodeUpdateAndCreateTopic,
  Perm,
} from '../requests/update-and-create-topic.ts';
import { RemotingClient } from '../transport/remoting-client.ts';
import { NameServerClient } from './name-server.ts';
import { type ClientOptions, parseNamesrvAddr, validateGroup, validateTopic } from './options.ts';

export interface BrokerInfo {
  cluster: string;
  brokerName: string;
  /** 0 for the master. */
  brokerId: number;
  addr: string;
}

export interface CreateTopicOptions {
  readQueueNums?: number;
  writeQueueNums?: number;
  /** PermName bits (default 6: read and write). */
  perm?: number;
  order?: boolean;
  attributes?: string;
  /** Only the masters of this cluster (default: every master the name server knows). */
  clusterName?: string;
  /** Only the masters of these brokers (by broker name); each must be registered now. */
  brokerNames?: readonly string[];
  /** Wait until the name server routes the topic (default 10 s; 0 to not wait). */
  waitForRouteMs?: number;
}

/** Topics, groups and brokers: the admin calls a connector runtime needs. */
export class Admin {
  readonly #remoting: RemotingClient;
  readonly #ns: NameServerClient;
  readonly #timeoutMs: number;

  constructor(opts: ClientOptions) {
    this.#timeoutMs = opts.requestTimeoutMs ?? 3000;
    this.#remoting = new RemotingClient({ credentials: opts.credentials });
    this.#ns = new NameServerClient(this.#remoting, parseNamesrvAddr(opts.namesrvAddr), this.#timeoutMs);
  }

  clusterInfo(): Promise<ClusterInfo> {
    return this.#ns.clusterInfo();
  }

  /** Every broker the name servers know, masters and slaves. */
  async brokers(clusterName?: string): Promise<BrokerInfo[]> {
    const info = await this.#ns.clusterInfo();
    const out: BrokerInfo[] = [];
    for (const b of Object.values(info.brokerAddrTable)) {
      if (clusterName && b.cluster !== clusterName) continue;
      for (const [id, addr] of Object.entries(b.brokerAddrs)) {
        out.push({ cluster: b.cluster, brokerName: b.brokerName, brokerId: Number(id), addr });
      }
    }
    return out.sort((a, b) =>
      a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : a.brokerId - b.brokerId,
    );
  }

  topicList(): Promise<string[]> {
    return this.#ns.topicList();
  }

  routeInfo(topic: string): Promise<TopicRouteData | undefined> {
    return this.#ns.routeInfo(topic);
  }

  /** Creates or updates a topic on every master (of a cluster), then waits until it is routed. */
  async createTopic(topic: string, opts: CreateTopicOptions = {}): Promise<void> {
    validateTopic(topic);
    const readQueueNums = opts.readQueueNums ?? 8;
    const writeQueueNums = opts.writeQueueNums ?? 8;
    for (const [name, n] of [
      ['readQueueNums', readQueueNums],
      ['writeQueueNums', writeQueueNums],
    ] as const) {
      if (!Number.isInteger(n) || n < 1 || n > 1024) {
        throw new RocketMQError(
          'INVALID_ARGUMENT',
          `${name} must be a whole number from 1 to 1024 (got ${n})`,
        );
      }
    }
    const masters = (await this.brokers(opts.clusterName)).filter(
      (b) => b.brokerId === 0 && (!opts.brokerNames || opts.brokerNames.includes(b.brokerName)),
    );
    const missing = opts.brokerNames?.filter((n) => !masters.some((b) => b.brokerName === n)) ?? [];
    if (missing.length > 0)
      throw new RocketMQError('NO_ROUTE', `no master of broker ${missing.join(', ')} is registered`, {
        retriable: true,
      });
    if (masters.length === 0)
      throw new RocketMQError(
        'NO_ROUTE',
        `no master broker${opts.clusterName ? ` in cluster ${opts.clusterName}` : ''}`,
        { retriable: true },
      );
    const req = encodeUpdateAndCreateTopic({
      topic,
      readQueueNums,
      writeQueueNums,
      perm: opts.perm ?? Perm.READ | Perm.WRITE,
      ...(opts.order === undefined ? {} : { order: opts.order }),
      ...(opts.attributes === undefined ? {} : { attributes: opts.attributes }),
    });
    await Promise.all(
      masters.map(async (b) =>
        decodeUpdateAndCreateTopic(await this.#remoting.invoke(b.addr, req, this.#timeoutMs), topic),
      ),
    );
    const wait = opts.waitForRouteMs ?? 10_000;
    if (wait <= 0) return;
    const deadline = Date.now() + wait;
    const wanted = new Set(masters.map((b) => b.brokerName));
    for (;;) {
      const route = await this.#ns.routeInfo(topic);
      const routed = new Set(route?.queueDatas.map((q) => q.brokerName) ?? []);
      if ([...wanted].every((n) => routed.has(n))) return;
      if (Date.now() > deadline)
        throw new RocketMQError('TIMEOUT', `topic ${topic} was created but not routed within ${wait} ms`, {
          retriable: true,
        });
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Deletes a topic from every broker (of a cluster) and then from every name server. */
  async deleteTopic(topic: string, clusterName?: string): Promise<void> {
    validateTopic(topic);
    const brokers = await this.brokers(clusterName);
    const req = encodeDeleteTopicInBroker(topic);
    await Promise.all(
      brokers.map(async (b) =>
        decodeDeleteTopicInBroker(await this.#remoting.invoke(b.addr, req, this.#timeoutMs), topic),
      ),
    );
    await this.#ns.deleteTopic(topic, clusterName);
  }

  /** Creates or updates a consumer group on every master (of a cluster). */
  async createSubscriptionGroup(config: SubscriptionGroupConfig, clusterName?: string): Promise<void> {
    validateGroup(config.groupName);
    const masters = (await this.brokers(clusterName)).filter((b) => b.brokerId === 0);
    // Retriable: right after a broker restart the name server has not heard from it yet.
    if (masters.length === 0)
      throw new RocketMQError('NO_ROUTE', 'no master broker to create the group on', { retriable: true });
    const req = encodeUpdateAndCreateSubscriptionGroup(config);
    await Promise.all(
      masters.map(async (b) =>
        decodeUpdateAndCreateSubscriptionGroup(
          await this.#remoting.invoke(b.addr, req, this.#timeoutMs),
          config.groupName,
        ),
      ),
    );
  }

  async deleteSubscriptionGroup(groupName: string, clusterName?: string): Promise<void> {
    validateGroup(groupName);
    const brokers = await this.brokers(clusterName);
    const req = encodeDeleteSubscriptionGroup(groupName);
    await Promise.all(
      brokers.map(async (b) =>
        decodeDeleteSubscriptionGroup(await this.#remoting.invoke(b.addr, req, this.#timeoutMs), groupName),
      ),
    );
  }

  close(): void {
    this.#remoting.close();
  }
}
