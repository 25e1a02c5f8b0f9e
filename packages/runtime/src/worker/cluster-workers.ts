import type { ClusterConfig } from '../cluster/cluster-config.ts';
import type { Membership } from '../cluster/membership.ts';
import type { WorkerInfo } from '../herder/herder-api.ts';
import type { ClusterGauges } from '../metrics/cluster-metrics.ts';

/** The live workers as this one sees them: where they answer, who leads, their load. */
export function clusterWorkers(membership: Membership, config: ClusterConfig | undefined): WorkerInfo[] {
  const members = membership.members();
  const ages = new Map(membership.reports().map((r) => [r.workerId, r.heardMs]));
  const load = new Map<string, number>();
  for (const placed of Object.values(config?.assignment?.tasks ?? {}))
    for (const w of placed) load.set(w, (load.get(w) ?? 0) + 1);
  return members.map((m, i) => ({
    workerId: m.workerId,
    clientId: m.clientId,
    url: m.url,
    // The coordinator's rule: the first live member (by workerId) leads.
    leader: i === 0,
    tasks: load.get(m.workerId) ?? 0,
    ...(ages.get(m.workerId) !== undefined ? { heartbeatAgeMs: Math.round(ages.get(m.workerId)!) } : {}),
  }));
}

/** The cluster series of this worker's metrics, read from its membership and config log. */
export function clusterGauges(
  workerId: string,
  membership: Membership,
  config: ClusterConfig,
  /** The epochs this worker's tasks run under. */
  tasks: { readonly epoch: bigint },
): ClusterGauges {
  return {
    generation: () => Number(tasks.epoch),
    leader: () => membership.members()[0]?.workerId === workerId,
    heartbeatAges: () =>
      new Map(membership.reports().map((r) => [r.workerId, (r.heardMs ?? 0) / 1000] as const)),
    configLogLag: () => config.lag,
  };
}
