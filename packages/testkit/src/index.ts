export { type Brokers, type BrokersOptions, type StopOptions, startBrokers } from './brokers.ts';
export { cacheDir } from './cache.ts';
export { type Product, resolveClasspath } from './classpath.ts';
export { TestkitError } from './errors.ts';
export { JavaProcess, JVM_MARKER } from './java.ts';
export { type JavaPeerOptions, javaPeer } from './java-peer.ts';
export { KafkaBroker, KafkaCluster, type KafkaOptions } from './kafka.ts';
export { type KafkaConnectOptions, KafkaConnectWorker } from './kafka-connect.ts';
export { type KafkaSecurityOptions, makeCertificates, type TestCertificates } from './kafka-security.ts';
export { type Credentials, type MqadminOptions, mqadmin } from './mqadmin.ts';
export { type BrokersHandle, useBrokers } from './node-test.ts';
export { freePort } from './ports.ts';
export { testkitJvmPids } from './ps.ts';
export {
  CLUSTER_NAME,
  DEFAULT_ACL,
  type RocketMQAcl,
  RocketMQBroker,
  RocketMQCluster,
  type RocketMQOptions,
} from './rocketmq.ts';
export { registeredBrokers, remotingRequest } from './rocketmq-probe.ts';
export {
  exitOnTestkitError,
  javaMajor,
  MIN_JAVA,
  requireJava,
  requireMaven,
  TOOLCHAIN_HINT,
} from './toolchain.ts';
