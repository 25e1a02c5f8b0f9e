import { EventEmitter } from 'node:events';
import { RocketMQError } from '../errors.ts';
import { RequestCode, ResponseCode } from '../protocol/codes.ts';
import { MessageProperty } from '../protocol/message.ts';
import { parseTagExpression, tagMatches } from '../protocol/tags.ts';
import {
  decodeGetConsumerListByGroup,
  encodeGetConsumerListByGroup,
} from '../requests/get-consumer-list-by-group.ts';
import {
  decodeGetConsumerRunningInfo,
  encodeConsumerRunningInfo,
} from '../requests/get-consumer-running-info.ts';
import { decodeGetMaxOffset, encodeGetMaxOffset } from '../requests/get-max-offset.ts';
import { decodeGetMinOffset, encodeGetMinOffset } from '../requests/get-min-offset.ts';
import { decodeHeartbeat, encodeHeartbeat, type SubscriptionData } from '../requests/heartbeat.ts';
import { decodeNotifyConsumerIdsChanged } from '../requests/notify-consumer-ids-changed.ts';
import {
  decodePullMessage,
  encodePullMessage,
  type PullResult,
  PullSysFlag,
} from '../requests/pull-message.ts';
import { decodeQueryConsumerOffset, encodeQueryConsumerOffset } from '../requests/query-consumer-offset.ts';
import {
  decodeSearchOffsetByTimestamp,
  encodeSearchOffsetByTimestamp,
} from '../requests/search-offset-by-timestamp.ts';
import { decodeUnregisterClient, encodeUnregisterClient } from '../requests/unregister-client.ts';
import {
  decodeUpdateConsumerOffset,
  encodeUpdateConsumerOffset,
} from '../requests/update-consumer-offset.ts';
import type { RequestHandler } from '../transport/connection.ts';
import { RemotingClient } from '../transport/remoting-client.ts';
import type { Request } from '../transport/request.ts';
import { abortable } from './abortable.ts';
import { makeClientId } from './client-id.ts';
import { NameServerClient } from './name-server.ts';
import { parseNamesrvAddr, validateGroup, validateTopic } from './options.ts';
import type { PullConsumerOptions, PullOptions } from './pull-options.ts';
import { type MessageQueue, subscribeQueues } from './queues.ts';
import { RouteCache } from './routes.ts';

export type { PullConsumerOptions, PullOptions };

/**
 * A consumer that pulls from queues at offsets it chooses, and stores the group's offsets in
 * the broker only when told to. It heartbeats to the brokers of the topics it subscribed, which
 * is what lists it in its group's consumer-id list; it emits `consumerIdsChanged` when a broker
 * says that list changed.
 */
export class PullConsumer extends EventEmitter<{
  consumerIdsChanged: [group: string];
  error: [err: Error];
}> {
  readonly group: string;
  readonly clientId: string;
  readonly #remoting: RemotingClient;
  readonly #routes: RouteCache;
  readonly #subscriptions = new Map<string, SubscriptionData>();
  readonly #timeoutMs: number;
  readonly #heartbeatMs: number;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(opts: PullConsumerOptions) {
    super();
    validateGroup(opts.group);
    this.group = opts.group;
    this.clientId = opts.clientId ?? makeClientId();
    this.#timeoutMs = opts.requestTimeoutMs ?? 3000;
    this.#heartbeatMs = opts.heartbeatMs ?? 30_000;
    const handlers = new Map<number, RequestHandler>([
      [
        RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
        async (cmd) => {
          this.emit('consumerIdsChanged', decodeNotifyConsumerIdsChanged(cmd).consumerGroup || this.group);
          return undefined;
        },
      ],
      [
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        async (cmd) => this.#runningInfo(decodeGetConsumerRunningInfo(cmd).consumerGroup),
      ],
      [
        RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT,
        async () => ({ extFields: {}, body: Buffer.from('{"messageQueueTable":{}}') }),
      ],
    ]);
    this.#remoting = new RemotingClient({ credentials: opts.credentials, handlers });
    const ns = new NameServerClient(this.#remoting, parseNamesrvAddr(opts.namesrvAddr), this.#timeoutMs);
    this.#routes = new RouteCache(ns, opts.routeRefreshMs ?? 30_000);
  }

  /**
   * Registers interest in a topic: the next heartbeat (sent at once) tells its brokers this
   * client belongs to the group. Pulls need no subscription; membership does.
   */
  async subscribe(topic: string, tags = '*'): Promise<void> {
    validateTopic(topic);
    const filter = parseTagExpression(tags);
    this.#subscriptions.set(topic, {
      topic,
      subString: filter.subString,
      tagsSet: filter.tags,
      codeSet: filter.codes,
      expressionType: 'TAG',
      subVersion: Date.now(),
      classFilterMode: false,
    });
    await this.#routes.get(topic);
    await this.heartbeat();
    this.#heartbeatTimer ??= setInterval(() => {
      // A failed heartbeat is retried by the next one (a broker restarting, say). It is reported
      // to 'error' listeners, and never thrown: an EventEmitter without one would end the process.
      this.heartbeat().catch((err: Error) => {
        if (this.listenerCount('error') > 0) this.emit('error', err);
      });
    }, this.#heartbeatMs);
    this.#heartbeatTimer.unref();
  }

  /** Sends a heartbeat to every broker of the subscribed topics now. */
  async heartbeat(): Promise<void> {
    if (this.#closed) return;
    for (const topic of this.#subscriptions.keys()) await this.#routes.get(topic).catch(() => undefined);
    const req = encodeHeartbeat({
      clientID: this.clientId,
      producerDataSet: [],
      consumerDataSet: [
        {
          groupName: this.group,
          consumeType: 'CONSUME_ACTIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          unitMode: false,
          subscriptionDataSet: [...this.#subscriptions.values()],
        },
      ],
    });
    const results = await Promise.allSettled(
      this.#routes
        .knownBrokerAddrs()
        .map(async (addr) => decodeHeartbeat(await this.#remoting.invoke(addr, req, this.#timeoutMs))),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed && results.every((r) => r.status === 'rejected'))
      throw (failed as PromiseRejectedResult).reason;
  }

  /** Readable queues of a topic, in the order every consumer sorts them. */
  async queues(topic: string): Promise<MessageQueue[]> {
    validateTopic(topic);
    return subscribeQueues(topic, await this.#routes.get(topic));
  }

  /** Pulls messages from `offset` on. Messages not matching `tags` are filtered out. */
  async pull(queue: MessageQueue, offset: bigint, opts: PullOptions = {}): Promise<PullResult> {
    const filter = parseTagExpression(opts.tags);
    const suspendMs = opts.suspendMs ?? 0;
    const req = encodePullMessage({
      consumerGroup: this.group,
      topic: queue.topic,
      queueId: queue.queueId,
      queueOffset: offset,
      maxMsgNums: opts.maxMessages ?? 32,
      // The subscription travels with the pull, so a pull needs no heartbeat first.
      sysFlag: PullSysFlag.SUBSCRIPTION | (suspendMs > 0 ? PullSysFlag.SUSPEND : 0),
      commitOffset: 0n,
      suspendTimeoutMillis: suspendMs,
      subscription: filter.subString,
      subVersion: Date.now(),
      expressionType: 'TAG',
      maxMsgBytes: opts.maxBytes,
      brokerName: queue.brokerName,
    });
    const timeout = opts.timeoutMs ?? Math.max(this.#timeoutMs, suspendMs + 5000);
    const response = this.#invokeBroker(queue, req, timeout);
    const result = decodePullMessage(
      await (opts.signal ? abortable(response, opts.signal) : response),
      `pull ${queue.topic}#${queue.queueId}`,
    );
    if (filter.tags.length > 0) result.messages = result.messages.filter((m) => tagMatches(filter, m.tags));
    for (const m of result.messages) {
      m.properties[MessageProperty.MIN_OFFSET] = String(result.minOffset);
      m.properties[MessageProperty.MAX_OFFSET] = String(result.maxOffset);
    }
    return result;
  }

  async minOffset(queue: MessageQueue): Promise<bigint> {
    return decodeGetMinOffset(await this.#invokeBroker(queue, encodeGetMinOffset(queue)));
  }

  /** One past the last message: where a consumer starting "at the end" begins. */
  async maxOffset(queue: MessageQueue): Promise<bigint> {
    return decodeGetMaxOffset(await this.#invokeBroker(queue, encodeGetMaxOffset(queue)));
  }

  /** The offset of the first message stored at or after `timestamp` (epoch ms). */
  async offsetForTimestamp(queue: MessageQueue, timestamp: number): Promise<bigint> {
    return decodeSearchOffsetByTimestamp(
      await this.#invokeBroker(queue, encodeSearchOffsetByTimestamp(queue, timestamp)),
    );
  }

  /** The group's offset stored in the broker, or undefined when it has none. */
  async committedOffset(queue: MessageQueue): Promise<bigint | undefined> {
    return decodeQueryConsumerOffset(
      await this.#invokeBroker(queue, encodeQueryConsumerOffset(this.group, queue)),
    );
  }

  /** Stores the group's offset (the next offset to consume) in the broker; resolves once acknowledged. */
  async commitOffset(queue: MessageQueue, offset: bigint): Promise<void> {
    decodeUpdateConsumerOffset(
      await this.#invokeBroker(queue, encodeUpdateConsumerOffset(this.group, queue, offset)),
    );
  }

  /**
   * The client ids of a group's live consumers, as a broker knows them. Asks a broker of
   * `topic` when given, else any broker of the cluster.
   */
  async consumerIds(group = this.group, topic?: string): Promise<string[]> {
    const req = encodeGetConsumerListByGroup(group);
    const addrs = topic ? await this.#topicBrokerAddrs(topic) : this.#routes.knownBrokerAddrs();
    if (addrs.length === 0)
      throw new RocketMQError('NO_ROUTE', 'no broker known to ask for the consumer list', {
        retriable: true,
      });
    let lastError: unknown;
    for (const addr of addrs) {
      try {
        return decodeGetConsumerListByGroup(await this.#remoting.invoke(addr, req, this.#timeoutMs));
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  }

  /** Leaves the group on every broker at once (others see the change now, not in 120 s) and closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeatTimer);
    const req = encodeUnregisterClient(this.clientId, { consumerGroup: this.group });
    await Promise.allSettled(
      this.#routes
        .knownBrokerAddrs()
        .map(async (addr) => decodeUnregisterClient(await this.#remoting.invoke(addr, req, this.#timeoutMs))),
    );
    this.#routes.close();
    this.#remoting.close();
  }

  async #topicBrokerAddrs(topic: string): Promise<string[]> {
    const route = await this.#routes.get(topic);
    return route.brokerDatas.map((b) => b.brokerAddrs['0']).filter((a): a is string => a !== undefined);
  }

  async #invokeBroker(queue: MessageQueue, req: Request, timeoutMs = this.#timeoutMs) {
    if (this.#closed) throw new RocketMQError('CLIENT_CLOSED', 'the consumer is closed');
    const addr = await this.#routes.brokerAddr(queue.brokerName);
    return this.#remoting.invoke(addr, req, timeoutMs);
  }

  #runningInfo(group: string) {
    if (group !== this.group) {
      return {
        code: ResponseCode.SYSTEM_ERROR,
        remark: `The Consumer Group <${group}> not exist in this consumer`,
        extFields: {},
      };
    }
    return {
      extFields: {},
      body: encodeConsumerRunningInfo({
        properties: {
          PROP_CONSUME_TYPE: 'CONSUME_ACTIVELY',
          PROP_CLIENT_VERSION: 'V4_9_4',
          PROP_CONSUMEORDERLY: 'false',
          PROP_THREADPOOL_CORE_SIZE: '1',
        },
        subscriptionSet: [...this.#subscriptions.values()],
      }),
    };
  }
}
