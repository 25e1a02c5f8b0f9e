import fileConnectors from '@sluice/connector-file';
import kafkaConnectors from '@sluice/connector-kafka';
import { connectorConformance } from '../../src/conformance/connector-conformance.ts';

// Every shipped connector runs the conformance suite; nothing here reaches a broker.

connectorConformance({
  plugin: fileConnectors,
  className: 'FileStreamSource',
  valid: { file: '/tmp/in.txt', topic: 't' },
  invalid: [
    { config: { topic: 't' }, field: 'file' },
    { config: { file: '/tmp/in.txt', topic: 't', 'batch.size': '0' }, field: 'batch.size' },
  ],
});

connectorConformance({
  plugin: fileConnectors,
  className: 'FileStreamSink',
  valid: { file: '/tmp/out.txt', topics: 't' },
  invalid: [{ config: { file: '/tmp/out.txt' }, field: 'topics' }],
});

connectorConformance({
  plugin: kafkaConnectors,
  className: 'KafkaSourceConnector',
  valid: { 'kafka.topics': 'kafkaconnect', 'kafka.bootstrap.server': '127.0.0.1:9092', 'tasks.num': '4' },
  invalid: [
    { config: { 'kafka.topics': 'a' }, field: 'kafka.bootstrap.server' },
    { config: { 'kafka.bootstrap.server': '127.0.0.1:9092' }, field: 'kafka.topics' },
    { config: { 'kafka.bootstrap.server': 'h:1', 'kafka.topic': 'a' }, field: 'rocketmq.topic' },
    {
      config: { 'kafka.bootstrap.server': 'h:1', 'kafka.topics': 'a', 'kafka.offset.reset': 'middle' },
      field: 'kafka.offset.reset',
    },
    {
      config: { 'kafka.bootstrap.server': 'h:1', 'kafka.topics': 'a', 'kafka.security.protocol': 'SASL_SSL' },
      field: 'kafka.sasl.username',
    },
  ],
});

connectorConformance({
  plugin: kafkaConnectors,
  className: 'KafkaSinkConnector',
  valid: { topicNames: 'kafkaconnect', 'kafka.bootstrap.server': '127.0.0.1:9092', 'tasks.num': '2' },
  invalid: [
    { config: { 'kafka.bootstrap.server': 'h:1' }, field: 'topicNames' },
    { config: { 'kafka.bootstrap.server': 'h:1', 'rocketmq.topic': 'a' }, field: 'kafka.topic' },
    {
      config: { 'kafka.bootstrap.server': 'h:1', topicNames: 'a', 'kafka.compression': 'brotli' },
      field: 'kafka.compression',
    },
  ],
});
