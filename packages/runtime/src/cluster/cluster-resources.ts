import { Admin, type ClientOptions } from '@sluice/rocketmq';
import { WORKER_KEYS, type WorkerConfig } from '../config/worker-config.ts';

const CLUSTER_NAME_KEYS = [
  'clusterTopic',
  'configTopic',
  'offsetTopic',
  'positionTopic',
  'consumerGroup',
  'clusterGroup',
] as const;

/** The names of the cluster's topics and groups: worker settings, the seed's by default. */
export type ClusterNames = Pick<WorkerConfig, (typeof CLUSTER_NAME_KEYS)[number]>;

/** The seed's names, taken from the worker settings' defaults (one place holds them). */
export const DEFAULT_CLUSTER_NAMES = Object.fromEntries(
  CLUSTER_NAME_KEYS.map((k) => [k, WORKER_KEYS[k].default!]),
) as ClusterNames;

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
