// @sluice/rocketmq: a RocketMQ client speaking the remoting protocol (name server, producer,
// pull consumer, admin, ACL signing). Everything public is named here.
export { Admin, type BrokerInfo, type CreateTopicOptions } from './client/admin.ts';
export { makeClientId } from './client/client-id.ts';
export { NameServerClient } from './client/name-server.ts';
export { type ClientOptions, parseNamesrvAddr } from './client/options.ts';
export { MAX_PROPERTIES_BYTES } from './client/outgoing-message.ts';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  Producer,
  type ProducerOptions,
  type SendOptions,
} from './client/producer.ts';
export { PullConsumer, type PullConsumerOptions, type PullOptions } from './client/pull-consumer.ts';
export {
  allocateAveragely,
  compareQueues,
  type MessageQueue,
  publishQueues,
  queueKey,
  subscribeQueues,
} from './client/queues.ts';
export {
  type ErrorCode,
  isRetriable,
  RocketMQError,
  type RocketMQErrorOptions,
  refusedBeforeStore,
} from './errors.ts';
export { CLIENT_VERSION, LanguageCode, RequestCode, ResponseCode } from './protocol/codes.ts';
export { type RemotingCommand, SerializeType } from './protocol/command.ts';
export { CompressionType, compress, decompress } from './protocol/compression.ts';
export { decodeFrame, encodeFrame, FrameSplitter, MAX_FRAME_LENGTH } from './protocol/frame.ts';
export { parseLenientJson, quoteNumericKeys } from './protocol/lenient-json.ts';
export { type Message, type MessageExt, MessageProperty } from './protocol/message.ts';
export { decodeMessage, decodeMessages } from './protocol/message-decoder.ts';
export { createOffsetMsgId, decodeOffsetMsgId, UniqueIdGenerator } from './protocol/message-id.ts';
export { decodeProperties, encodeProperties, SYSTEM_PROPERTIES } from './protocol/properties.ts';
export { type Credentials, signRequest } from './protocol/signing.ts';
export { javaHashCode, parseTagExpression } from './protocol/tags.ts';
export type { ClusterInfo } from './requests/get-broker-cluster-info.ts';
export type { BrokerData, QueueData, TopicRouteData } from './requests/get-route-info.ts';
export type { PullResult, PullStatus } from './requests/pull-message.ts';
export type { SendResult, SendStatus } from './requests/send-message.ts';
export type { SubscriptionGroupConfig } from './requests/update-and-create-subscription-group.ts';
export { Perm } from './requests/update-and-create-topic.ts';
export { Connection, type Reply, type RequestHandler } from './transport/connection.ts';
export { RemotingClient, type RemotingClientOptions } from './transport/remoting-client.ts';
