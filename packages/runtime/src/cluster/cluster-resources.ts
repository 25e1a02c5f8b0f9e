import type { Logger } from '@sluice/connect-api';
import { Admin, type ClientOptions, isRetriable, Perm, type TopicRouteData } from '@sluice/rocketmq';
import { Backoff, BROKER_BACKOFF } from '../backoff.ts';
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
export type ClusterNames = Pick<WorkerConfig, (typeof CLUSTER_NAME_KEYS)[number]> & {
  /** The broker that holds the state topics when they are created (default: first master by name). */
  stateBroker?: string | undefined;
};

/** PermName 0: a topic config that routes nowhere, the mark that the topic lives on another broker. */
const MARKER_PERM = 0;

/** The seed's names, taken from the worker settings' defaults (one place holds them). */
export const DEFAULT_CLUSTER_NAMES = Object.fromEntries(
  CLUSTER_NAME_KEYS.map((k) => [k, WORKER_KEYS[k].default!]),
) as ClusterNames;

/**
 * Creates the cluster's state topics when missing, and its groups when `createGroups`. A state
 * topic is one total order, so it is readable and writable on one broker only, its home (1 read
 * and 1 write queue): `stateBroker`, else the first master by name. Every other master gets a
 * marker (the topic with permission 0): while the home is away (restarting), the route still
 * shows the topic exists, so no worker creates it again elsewhere or reads another broker's copy;
 * it waits for the home. Masters added later get their marker the next time a worker starts. An
 * existing topic is otherwise left as it is: someone may have tuned it.
 */
export async function ensureClusterResources(
  client: ClientOptions,
  names: ClusterNames,
  opts: { createGroups: boolean },
): Promise<{ createdTopics: string[]; spreadTopics: string[] }> {
  const admin = new Admin(client);
  try {
    const masters = [
      ...new Set((await admin.brokers()).filter((b) => b.brokerId === 0).map((b) => b.brokerName)),
    ];
    const createdTopics: string[] = [];
    const spreadTopics: string[] = [];
    for (const topic of [names.clusterTopic, names.configTopic, names.offsetTopic, names.positionTopic]) {
      const route = await admin.routeInfo(topic).catch(() => undefined);
      if (route && route.queueDatas.length > 0) {
        if (route.queueDatas.filter((q) => (q.perm & Perm.READ) !== 0).length > 1) spreadTopics.push(topic);
        else await markOthers(admin, topic, route, masters);
        continue;
      }
      const home = names.stateBroker || masters[0];
      await admin.createTopic(topic, {
        readQueueNums: 1,
        writeQueueNums: 1,
        ...(home ? { brokerNames: [home] } : {}),
      });
      await mark(
        admin,
        topic,
        masters.filter((m) => m !== home),
      );
      createdTopics.push(topic);
    }
    if (opts.createGroups)
      for (const groupName of [names.consumerGroup, names.clusterGroup])
        await admin.createSubscriptionGroup({ groupName });
    return { createdTopics, spreadTopics };
  } finally {
    admin.close();
  }
}

/** Marks the masters that have no config of a topic readable on one broker (a master added later). */
async function markOthers(
  admin: Admin,
  topic: string,
  route: TopicRouteData,
  masters: readonly string[],
): Promise<void> {
  if (!route.queueDatas.some((q) => (q.perm & Perm.READ) !== 0)) return;
  await mark(
    admin,
    topic,
    masters.filter((m) => !route.queueDatas.some((q) => q.brokerName === m)),
  );
}

async function mark(admin: Admin, topic: string, brokerNames: string[]): Promise<void> {
  if (brokerNames.length > 0)
    await admin.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1, perm: MARKER_PERM, brokerNames });
}

/**
 * `ensureClusterResources` at a worker's start: while no master answers (a cluster starting or
 * restarting), waits and tries again with backoff, saying what it waits for.
 */
export async function ensureResourcesWaiting(
  client: ClientOptions,
  config: WorkerConfig,
  logger: Logger,
): Promise<void> {
  const backoff = new Backoff(BROKER_BACKOFF);
  for (;;) {
    try {
      const { spreadTopics } = await ensureClusterResources(client, config, {
        createGroups: config.autoCreateGroupEnable,
      });
      for (const topic of spreadTopics)
        logger.warn('state topic readable on several brokers: see docs/cluster.md', { topic });
      return;
    } catch (err) {
      if (!isRetriable(err)) throw err;
      logger.warn('waiting for a RocketMQ master', { error: String(err) });
      await backoff.wait();
    }
  }
}
