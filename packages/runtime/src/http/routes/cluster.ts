import type { FastifyInstance } from 'fastify';
import type { ClusterView } from '../../herder/herder-api.ts';
import * as S from '../schemas.ts';

/** The cluster as this worker sees it. */
export function registerClusterRoutes(app: FastifyInstance, api: ClusterView): void {
  app.get(
    '/workers',
    { schema: { tags: ['workers'], summary: 'Live workers', response: { 200: S.WorkersBody } } },
    async () =>
      api.workers().map((w) => ({
        worker_id: w.workerId,
        ...(w.url !== undefined ? { url: w.url } : {}),
        ...(w.leader !== undefined ? { leader: w.leader } : {}),
        ...(w.tasks !== undefined ? { tasks: w.tasks } : {}),
        ...(w.heartbeatAgeMs !== undefined ? { heartbeat_age_ms: w.heartbeatAgeMs } : {}),
      })),
  );
}
