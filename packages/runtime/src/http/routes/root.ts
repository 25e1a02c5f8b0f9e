import type { FastifyInstance } from 'fastify';
import type { ClusterView } from '../../herder/herder-api.ts';
import { VERSION } from '../../version.ts';
import * as S from '../schemas.ts';

export type Readiness = 'STARTING' | 'UP' | 'STOPPING';

// Kafka Connect's words for the three states of /health.
const HEALTH: Record<Readiness, { status: string; message: string }> = {
  STARTING: { status: 'starting', message: 'Worker is still starting up.' },
  UP: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' },
  STOPPING: { status: 'unhealthy', message: 'Worker is stopping.' },
};

/** `GET /` (what tools such as kcctl ask first) and the readiness probe. */
export function registerRootRoutes(app: FastifyInstance, api: ClusterView, readiness: () => Readiness): void {
  app.get(
    '/',
    {
      schema: {
        tags: ['workers'],
        summary: 'The worker: version and cluster (Kafka Connect’s shape)',
        response: { 200: S.RootBody },
      },
    },
    async () => ({
      version: VERSION,
      commit: process.env.SLUICE_COMMIT ?? 'unknown',
      kafka_cluster_id: api.clusterId,
      worker_id: api.workerId,
    }),
  );
  app.get(
    '/health',
    {
      schema: {
        tags: ['workers'],
        summary: 'Readiness: 200 once the worker serves (joined its cluster), else 503',
        response: { 200: S.HealthBody, 503: S.HealthBody },
      },
    },
    async (_req, reply) => {
      const state = readiness();
      return reply.code(state === 'UP' ? 200 : 503).send({ ...HEALTH[state], workerId: api.workerId });
    },
  );
}
