import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { ClusterView } from '../../herder/herder-api.ts';
import type { WorkerMetrics } from '../../metrics/worker-metrics.ts';
import * as S from '../schemas.ts';

/** How long a worker waits for another worker's /metrics before answering 502. */
export const PEER_METRICS_TIMEOUT_MS = 3000;

type Format = { format?: 'text' | 'json' };
const FormatQuery = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('text'), Type.Literal('json')], {
      description: 'text (Prometheus, the default) or json (for the dashboard and `sluice top`)',
    }),
  ),
});

/**
 * Prometheus' scrape endpoint (docs/metrics.md lists the series), and any worker's metrics
 * fetched through this one, for the dashboard and `sluice top`: one address shows the whole
 * cluster, and the caller's token goes along (the workers of a cluster share theirs).
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: WorkerMetrics,
  cluster: ClusterView,
): void {
  const local = async (reply: FastifyReply, format: string | undefined) =>
    format === 'json'
      ? reply.send(await metrics.registry.getMetricsAsJSON())
      : reply.type(metrics.registry.contentType).send(await metrics.text());
  app.get<{ Querystring: Format }>(
    '/metrics',
    {
      schema: {
        tags: ['workers'],
        summary: 'This worker’s metrics in Prometheus’ text format (or prom-client’s JSON)',
        produces: ['text/plain', 'application/json'],
        querystring: FormatQuery,
      },
    },
    async (req, reply) => local(reply, req.query.format),
  );
  app.get<{ Params: { id: string }; Querystring: Format }>(
    '/workers/:id/metrics',
    {
      schema: {
        tags: ['workers'],
        summary: 'A live worker’s metrics, fetched through this worker',
        produces: ['text/plain'],
        params: S.WorkerIdParams,
        querystring: FormatQuery,
        response: S.errors(404, 502),
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (id === cluster.workerId) return local(reply, req.query.format);
      const peer = cluster.workers().find((w) => w.workerId === id);
      if (!peer) return reply.code(404).send({ error_code: 404, message: `no live worker ${id}` });
      if (!peer.url)
        return reply.code(502).send({ error_code: 502, message: `worker ${id} has no HTTP address` });
      try {
        const auth = req.headers.authorization;
        const query = req.query.format ? `?format=${req.query.format}` : '';
        const res = await fetch(`${peer.url}/metrics${query}`, {
          headers: auth ? { authorization: auth } : {},
          signal: AbortSignal.timeout(PEER_METRICS_TIMEOUT_MS),
        });
        const body = await res.text();
        if (!res.ok) throw new Error(`it answered ${res.status}`);
        return reply.type(res.headers.get('content-type') ?? 'text/plain').send(body);
      } catch (err) {
        const why = (err as Error).cause ?? (err as Error).message;
        return reply.code(502).send({ error_code: 502, message: `worker ${id} at ${peer.url}: ${why}` });
      }
    },
  );
}
