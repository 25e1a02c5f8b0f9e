import { isRetriable, RocketMQError } from '../errors.ts';
import { ResponseCode } from '../protocol/codes.ts';
import {
  COMPRESSED_FLAG,
  CompressionType,
  type CompressionTypeValue,
  compress,
} from '../protocol/compression.ts';
import { type Message, MessageProperty } from '../protocol/message.ts';
import { UniqueIdGenerator } from '../protocol/message-id.ts';
import { encodeProperties } from '../protocol/properties.ts';
import { javaHashCode } from '../protocol/tags.ts';
import { encodeSendBatchMessage } from '../requests/send-batch-message.ts';
import { decodeSendMessage, encodeSendMessage, type SendResult } from '../requests/send-message.ts';
import { RemotingClient } from '../transport/remoting-client.ts';
import type { Request } from '../transport/request.ts';
import { NameServerClient } from './name-server.ts';
import { type ClientOptions, parseNamesrvAddr, validateGroup, validateTopic } from './options.ts';
import { encodeCheckedProperties, prepareMessage } from './outgoing-message.ts';
import { type MessageQueue, publishQueues } from './queues.ts';
import { RouteCache } from './routes.ts';

/** First wait before sending again to a broker that answered SYSTEM_BUSY; doubles per attempt. */
const BUSY_BACKOFF_MS = 100;

export interface ProducerOptions extends ClientOptions {
  /** Producer group (default `DEFAULT_PRODUCER`). */
  group?: string;
  /** Total time budget of one send, retries included (default 3000 ms). */
  sendTimeoutMs?: number;
  /** Further attempts after a retriable failure, each on another broker when there is one (default 2). */
  retries?: number;
  /** Bodies of at least this many bytes are compressed, single sends only (default 4096). */
  compressOverBytes?: number;
  compressionType?: CompressionTypeValue;
  /** Largest body accepted (default 4 MiB, the broker's default maxMessageSize). */
  maxMessageBytes?: number;
}

export interface SendOptions {
  /** Write to exactly this queue (no failover to another queue). */
  queue?: MessageQueue;
  /** Same key → same queue, so per-key order holds (while the queue count does not change). */
  shardingKey?: string;
  timeoutMs?: number;
  /**
   * A writer fence, asked for each attempt (retries included) right before the last byte of its
   * request goes to the kernel: once it says no, the send fails with ABORTED and the broker gets
   * no complete request. A process frozen with the request half-written does not complete it
   * when it wakes (its lease is gone by then), however long the bytes waited in its buffers.
   */
  mayWrite?: () => boolean;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** What a broker accepts of one message's encoded properties (they travel behind a short length). */

/**
 * Sends messages to RocketMQ: one at a time or in batches, to a queue chosen round-robin, by key
 * (per-key order) or explicitly. Retriable failures are retried within the send's time budget,
 * on another broker when the topic has one.
 */
export class Producer {
  readonly group: string;
  readonly #remoting: RemotingClient;
  readonly #routes: RouteCache;
  readonly #ids = new UniqueIdGenerator();
  readonly #opts: Required<
    Pick<
      ProducerOptions,
      | 'sendTimeoutMs'
      | 'retries'
      | 'compressOverBytes'
      | 'compressionType'
      | 'maxMessageBytes'
      | 'requestTimeoutMs'
    >
  >;
  #counter = Math.floor(Math.random() * 1024);
  #closed = false;

  constructor(opts: ProducerOptions) {
    this.group = opts.group ?? 'DEFAULT_PRODUCER';
    validateGroup(this.group);
    this.#remoting = new RemotingClient({ credentials: opts.credentials });
    const ns = new NameServerClient(
      this.#remoting,
      parseNamesrvAddr(opts.namesrvAddr),
      opts.requestTimeoutMs ?? 3000,
    );
    this.#routes = new RouteCache(ns, opts.routeRefreshMs ?? 30_000);
    this.#opts = {
      sendTimeoutMs: opts.sendTimeoutMs ?? 3000,
      retries: opts.retries ?? 2,
      compressOverBytes: opts.compressOverBytes ?? 4096,
      compressionType: opts.compressionType ?? CompressionType.ZLIB,
      maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      requestTimeoutMs: opts.requestTimeoutMs ?? 3000,
    };
  }

  /** The queues a message of this topic may go to. */
  async queues(topic: string): Promise<MessageQueue[]> {
    validateTopic(topic);
    return publishQueues(topic, await this.#routes.get(topic));
  }

  /** Sends one message and resolves once the broker stored it. */
  async send(msg: Message, opts: SendOptions = {}): Promise<SendResult> {
    validateTopic(msg.topic);
    if (msg.body.length === 0) {
      // A broker cannot store a single message without a body (it fails on the missing frame
      // body), but it stores one inside a batch. Kafka tombstones and empty values need that.
      if (msg.delayLevel)
        throw new RocketMQError('INVALID_ARGUMENT', 'a message with an empty body cannot be delayed');
      return this.sendBatch([msg], opts);
    }
    const p = prepareMessage(msg, this.#ids.next());
    let sysFlag = 0;
    let body = p.body;
    if (body.length >= this.#opts.compressOverBytes) {
      const compressed = compress(body, this.#opts.compressionType);
      // Incompressible data grows a little: sending it as is keeps it under the size limit.
      if (compressed.length < body.length) {
        body = compressed;
        sysFlag = COMPRESSED_FLAG | (this.#opts.compressionType << 8);
      }
    }
    // The broker's limit is on what it stores: a body that compresses under it may be larger.
    this.#checkSize(body.length, 'message body');
    const properties = encodeCheckedProperties(p.properties);
    return this.#sendWithRetries(msg.topic, opts, (q) => ({
      req: encodeSendMessage(
        {
          producerGroup: this.group,
          topic: msg.topic,
          queueId: q.queueId,
          sysFlag,
          bornTimestamp: Date.now(),
          flag: p.flag,
          properties,
          brokerName: q.brokerName,
        },
        body,
      ),
      msgId: p.msgId,
    }));
  }

  /**
   * Sends messages of one topic as one batch to one queue: they are stored together, in order, or
   * not at all. Batches are not compressed; the whole batch must fit the broker's message size.
   */
  async sendBatch(msgs: readonly Message[], opts: SendOptions = {}): Promise<SendResult> {
    if (msgs.length === 0) throw new RocketMQError('INVALID_ARGUMENT', 'a batch needs at least one message');
    const topic = msgs[0]!.topic;
    validateTopic(topic);
    const entries = msgs.map((m) => {
      if (m.topic !== topic)
        throw new RocketMQError('INVALID_ARGUMENT', 'all messages of a batch must have one topic');
      if (m.delayLevel) throw new RocketMQError('INVALID_ARGUMENT', 'a batch cannot carry delayed messages');
      const p = prepareMessage(m, this.#ids.next());
      return {
        body: p.body,
        flag: p.flag,
        properties: encodeCheckedProperties(p.properties),
        msgId: p.msgId,
      };
    });
    this.#checkSize(
      entries.reduce((n, e) => n + e.body.length, 0),
      'batch body total',
    );
    const batchId = this.#ids.next();
    const headerProps = encodeProperties({
      [MessageProperty.UNIQ_KEY]: batchId,
      [MessageProperty.WAIT]: 'true',
    });
    return this.#sendWithRetries(topic, opts, (q) => ({
      req: encodeSendBatchMessage(
        {
          producerGroup: this.group,
          topic,
          queueId: q.queueId,
          sysFlag: 0,
          bornTimestamp: Date.now(),
          flag: 0,
          properties: headerProps,
          brokerName: q.brokerName,
        },
        entries,
      ),
      msgId: entries.map((e) => e.msgId).join(','),
    }));
  }

  close(): void {
    this.#closed = true;
    this.#routes.close();
    this.#remoting.close();
  }

  #checkSize(bytes: number, what: string): void {
    if (bytes > this.#opts.maxMessageBytes)
      throw new RocketMQError(
        'INVALID_ARGUMENT',
        `${what} of ${bytes} bytes is over the ${this.#opts.maxMessageBytes}-byte limit`,
      );
  }

  async #sendWithRetries(
    topic: string,
    opts: SendOptions,
    build: (q: MessageQueue) => { req: Request; msgId: string },
  ): Promise<SendResult> {
    if (this.#closed) throw new RocketMQError('CLIENT_CLOSED', 'the producer is closed');
    const deadline = Date.now() + (opts.timeoutMs ?? this.#opts.sendTimeoutMs);
    let lastBroker: string | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.#opts.retries; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let queue: MessageQueue | undefined;
      try {
        queue = await this.#pickQueue(topic, opts, lastBroker, attempt > 0);
        const { req, msgId } = build(queue);
        const addr = await this.#routes.brokerAddr(queue.brokerName);
        const response = await this.#remoting.invoke(
          addr,
          req,
          Math.min(left, this.#opts.requestTimeoutMs),
          opts.mayWrite,
        );
        return decodeSendMessage(response, queue.brokerName, msgId);
      } catch (err) {
        lastError = err;
        const otherBrokerMayAccept =
          err instanceof RocketMQError && err.responseCode === ResponseCode.NO_PERMISSION && !opts.queue;
        if (!isRetriable(err) && !otherBrokerMayAccept) throw err;
        lastBroker = queue?.brokerName;
        // A busy broker refused without storing: trying it again at once only adds to its queue.
        if (err instanceof RocketMQError && err.responseCode === ResponseCode.SYSTEM_BUSY)
          await new Promise((r) =>
            setTimeout(r, Math.min(BUSY_BACKOFF_MS * 2 ** attempt, Math.max(0, deadline - Date.now()))),
          );
      }
    }
    if (lastError instanceof RocketMQError) throw lastError;
    throw new RocketMQError('TIMEOUT', `send to ${topic} did not succeed within its time budget`, {
      retriable: true,
      cause: lastError,
    });
  }

  async #pickQueue(
    topic: string,
    opts: SendOptions,
    avoidBroker: string | undefined,
    retry: boolean,
  ): Promise<MessageQueue> {
    if (opts.queue) return opts.queue;
    // After a failure, look the route up again: the broker may be gone or the topic re-created.
    const queues = publishQueues(topic, await this.#routes.get(topic, { refresh: retry }));
    if (queues.length === 0)
      throw new RocketMQError('NO_ROUTE', `topic ${topic} has no writable queue`, { retriable: true });
    if (opts.shardingKey !== undefined) {
      const h = javaHashCode(opts.shardingKey);
      return queues[Math.abs(h % queues.length)]!;
    }
    const others = avoidBroker ? queues.filter((q) => q.brokerName !== avoidBroker) : queues;
    const pool = others.length > 0 ? others : queues;
    this.#counter = (this.#counter + 1) & 0x7fffffff;
    return pool[this.#counter % pool.length]!;
  }
}
