import { Admin, type ClientOptions } from '@sluice/rocketmq';

/** The seed's names of the cluster's topics and groups; each can be overridden in the worker config. */
export interface ClusterNames {
  clusterTopic: string;
  configTopic: string;
  offsetTopic: string;
  positionTopic: string;
  consumerGroup: string;
  clusterGroup: string;
}

export const DEFAULT_CLUSTER_NAMES: ClusterNames = {
  clusterTopic: 'connector-cluster-topic',
  configTopic: 'connector-config-topic',
  offsetTopic: 'connector-offset-topic',
  positionTopic: 'connector-position-topic',
  consumerGroup: 'connector-consumer-group',
  clusterGroup: 'connector-cluster-group',
};

/**
 * Creates the cluster's topics (1 read and 1 write queue: one queue is one total order) when
 * missing, and its groups when `createGroups`. An existing topic is left as it is: someone may
 * have tuned it.
 */
export async function ensureClusterResources(
  client: ClientOptions,
  names: ClusterNames,
  opts: { createGroups: boolean },
): Promise<{ createdTopics: string[] }> {
  const admin = new Admin(client);
  try {
    const createdTopics: string[] = [];
    for (const topic of [names.clusterTopic, names.configTopic, names.offsetTopic, names.positionTopic]) {
      const route = await admin.routeInfo(topic).catch(() => undefined);
      if (route && route.queueDatas.length > 0) continue;
      await admin.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
      createdTopics.push(topic);
    }
    if (opts.createGroups)
      for (const groupName of [names.consumerGroup, names.clusterGroup])
        await admin.createSubscriptionGroup({ groupName });
    return { createdTopics };
  } finally {
    admin.close();
  }
}
