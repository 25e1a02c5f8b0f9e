import type { Logger } from '@sluice/connect-api';
import type { FastifyInstance } from 'fastify';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';

/**
 * One log line per request: method, the route's pattern (never the URL itself: the seed's
 * `?config=` may carry secrets), status and milliseconds; never a body or a header. Readiness
 * probes log at debug, everything else at info.
 */
export function logRequests(app: FastifyInstance, logger: Logger | undefined, metrics?: WorkerMetrics): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? '(no route)';
    metrics?.httpRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (!logger) return;
    const fields = {
      method: req.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (route === '/health') logger.debug('http', fields);
    else logger.info('http', fields);
  });
}
