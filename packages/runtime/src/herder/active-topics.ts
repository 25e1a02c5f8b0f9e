import type { StoredConnector } from '../state/stored-connector.ts';
import type { TaskInfo } from './herder-api.ts';

/**
 * Kafka Connect's active topics of a connector: those its tasks wrote (source) or read (sink)
 * records of since the last reset, sorted. A topic still in use comes back with its next record.
 */
export function activeTopics(stored: StoredConnector, tasks: readonly TaskInfo[]): string[] {
  const since = stored.topicsResetAt ?? 0;
  const topics = new Set<string>();
  for (const t of tasks)
    for (const [topic, at] of Object.entries(t.status.topics ?? {})) if (at > since) topics.add(topic);
  return [...topics].sort();
}
