// @sluice/connector-kafka: Kafka → RocketMQ source and RocketMQ → Kafka sink, as one plugin.
import type { Plugin } from '@sluice/connect-api';
import { KafkaSinkConnector } from './kafka-sink.ts';
import { KafkaSourceConnector } from './kafka-source.ts';

export { KAFKA_SINK_SPEC, KafkaSinkConnector, KafkaSinkTask } from './kafka-sink.ts';
export { KAFKA_SOURCE_SPEC, KafkaSourceConnector, KafkaSourceTask } from './kafka-source.ts';
export { kafkaToSource, sinkToKafka, TAGS_HEADER } from './mapping.ts';

export const plugin: Plugin = {
  name: '@sluice/connector-kafka',
  version: '0.1.0',
  connectors: {
    KafkaSourceConnector: () => new KafkaSourceConnector(),
    KafkaSinkConnector: () => new KafkaSinkConnector(),
  },
  // The seed's fork and Apache RocketMQ Connect name these classes so (same keys, same job).
  aliases: {
    KafkaSourceConnector: ['org.apache.rocketmq.connect.kafka.connector.KafkaSourceConnector'],
    KafkaSinkConnector: ['org.apache.rocketmq.connect.kafka.connector.KafkaSinkConnector'],
  },
};

export default plugin;
export {
  type FetchedRecord,
  type KafkaClientSettings,
  type KafkaHeaderBytes,
  KafkaReader,
  KafkaWriter,
  type OutgoingKafkaRecord,
  type PartitionRef,
} from './kafka-client.ts';
