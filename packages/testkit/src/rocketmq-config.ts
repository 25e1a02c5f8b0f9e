import { join } from 'node:path';
import type { ConfigValue } from './properties.ts';
import { aclConfig, type RocketMQAcl } from './rocketmq-acl.ts';

export const CLUSTER_NAME = 'DefaultCluster';

/** A master broker's broker.conf, sized for a test machine. */
export function brokerConfig(
  name: string,
  port: number,
  namesrvAddr: string,
  home: string,
  acl: RocketMQAcl | undefined,
  extra: Record<string, ConfigValue> = {},
): Record<string, ConfigValue> {
  const store = join(home, 'store');
  return {
    brokerClusterName: CLUSTER_NAME,
    brokerName: name,
    brokerId: 0,
    brokerRole: 'ASYNC_MASTER',
    flushDiskType: 'ASYNC_FLUSH',
    brokerIP1: '127.0.0.1',
    listenPort: port,
    namesrvAddr,
    storePathRootDir: store,
    storePathCommitLog: join(store, 'commitlog'),
    // Sized for a test machine: 64 MiB commit-log files instead of 1 GiB, a ~20 MB index file
    // instead of ~420 MB. The broker's disk-full guards cap at 85-90 % used whatever is set.
    mappedFileSizeCommitLog: 64 * 1024 * 1024,
    maxHashSlotNum: 100_000,
    maxIndexNum: 400_000,
    diskMaxUsedSpaceRatio: 95,
    // A send waiting over 200 ms (the default) in the broker's queue is refused as "broker busy";
    // brokers sharing two cores with their clients hit that under load.
    waitTimeMillsInSendQueue: 1000,
    autoCreateTopicEnable: true,
    autoCreateSubscriptionGroup: true,
    ...(acl ? aclConfig(acl) : {}),
    ...extra,
  };
}

/**
 * RocketMQ 4.9 reads its logging setup from ${rocketmq.home.dir}/conf/logback_<role>.xml and
 * exits without it (5.x ships its own). Warnings and errors go to the process's output, which
 * the testkit keeps in the logs folder.
 */
export const LOGBACK_4_9 = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5p %c{0} - %m%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="out"/></root>
</configuration>
`;
