import swagger from '@fastify/swagger';
import type { Logger } from '@sluice/connect-api';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { asSluiceError, HTTP_STATUS } from '../errors.ts';
import type { WorkerApi } from '../herder/herder-api.ts';
import type { LogAdmin } from '../logging/logger.ts';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';
import { VERSION } from '../version.ts';
import { logRequests } from './access-log.ts';
import { type AuthExempt, isHealth, requireToken } from './bearer-token.ts';
import { refuseCrossSite } from './cross-site.ts';
import { trackMethods } from './method-not-allowed.ts';
import { registerClusterRoutes } from './routes/cluster.ts';
import { registerConfigRoutes } from './routes/config.ts';
import { registerConnectorsRoutes } from './routes/connectors.ts';
import { registerControlRoutes } from './routes/control.ts';
import { registerLoggerRoutes } from './routes/loggers.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerOffsetsRoutes } from './routes/offsets.ts';
import { registerPluginsRoutes } from './routes/plugins.ts';
import { type Readiness, registerRootRoutes } from './routes/root.ts';
import { registerSeedReadRoutes } from './routes/seed-reads.ts';
import { gateSeedRoutes } from './routes/seed-shape.ts';
import { registerSeedWriteRoutes } from './routes/seed-writes.ts';
import { registerTasksRoutes } from './routes/tasks.ts';
import { registerTopicsRoutes } from './routes/topics.ts';
import { isUiFile, registerUiRoutes } from './routes/ui.ts';

export type { Readiness };

export interface HttpOptions {
  host: string;
  port: number;
  /** Largest request body accepted (default 1 MiB). */
  bodyLimit?: number;
  /** When set, every route but those `authExempt` names needs `Authorization: Bearer <token>`. */
  authToken?: string | undefined;
  /** Served without the token (default: health and the dashboard's static files). */
  authExempt?: readonly AuthExempt[];
  /** PEM certificate and key: HTTPS. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /**
   * Where the worker is in its life. The API may listen before the worker is ready (a cluster
   * worker's address is part of its member id): until `UP`, /health answers 503 with the state
   * (a readiness probe) and every other route 503 (Kafka Connect does the same). Default: UP.
   */
  readiness?: () => Readiness;
  /** The worker's log levels, for /admin/loggers (without: the routes answer 404). */
  logs?: LogAdmin | undefined;
  /** Where the access log goes: one line per request (without: none). */
  logger?: Logger | undefined;
  /** The worker's metrics: GET /metrics, and the HTTP requests counted (without: 404). */
  metrics?: WorkerMetrics | undefined;
  /** Serve the dashboard at /ui (default true). */
  ui?: boolean;
  /** Origins whose pages may change state besides the worker's own (httpAllowedOrigins). */
  allowedOrigins?: readonly string[];
  /** The seed's GET routes: enabled (default), readonly or disabled. */
  seedRoutes?: 'enabled' | 'readonly' | 'disabled';
}

const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Sluice worker API',
    version: VERSION,
    description:
      'The resource API (Kafka Connect’s shape) and the seed’s GET routes, which keep their paths and bodies for existing scripts.',
  },
  tags: [
    { name: 'connectors', description: 'Create, change, inspect and control connectors' },
    { name: 'offsets', description: 'Where connectors resume' },
    { name: 'plugins', description: 'Installed connector classes' },
    { name: 'workers', description: 'The cluster and this worker' },
    { name: 'seed', description: 'The original GET routes, kept for existing scripts' },
  ],
  components: {
    securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer' } },
  },
};

/** The worker's HTTP API. Unknown routes and methods get a JSON 404 / 405. */
export function buildServer(api: WorkerApi, opts: Omit<HttpOptions, 'host' | 'port'> = {}): FastifyInstance {
  const common: FastifyServerOptions = {
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    routerOptions: { maxParamLength: 1000 },
    logger: false,
    // Requests are checked against the route schemas as sent: no coercion (5 is not "5"), no
    // silently dropped keys, no injected defaults.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
  };
  const app = (
    opts.tls ? Fastify({ ...common, https: opts.tls } as FastifyServerOptions) : Fastify(common)
  ) as FastifyInstance;
  const readiness = opts.readiness ?? (() => 'UP' as const);
  const methodsOf = trackMethods(app);
  if (opts.logger || opts.metrics) logRequests(app, opts.logger, opts.metrics);
  // Bodies are JSON: anything else is a 415, as in Kafka Connect (fastify would take text/plain).
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (req, reply) => {
    const state = readiness();
    if (state === 'UP' || isHealth(req.url) || isUiFile(req.url)) return;
    return reply.code(503).send({
      error_code: 503,
      message: state === 'STARTING' ? 'the worker is starting' : 'the worker is stopping',
    });
  });
  // Before the token: a page of another site is refused even when the browser holds no token.
  refuseCrossSite(app, opts.allowedOrigins);
  gateSeedRoutes(app, opts.seedRoutes ?? 'enabled');
  if (opts.authToken) requireToken(app, opts.authToken, opts.authExempt ?? ['health', 'ui']);
  // The routes go in a plugin registered after swagger's, so that its onRoute hook sees them.
  app.register(swagger, { openapi: OPENAPI });
  app.register(async (routes) => {
    // The seed's GET routes, paths and bodies kept for existing scripts.
    registerSeedWriteRoutes(routes, api);
    registerSeedReadRoutes(routes, api);
    // The resource API, the shape Kafka Connect users know: JSON bodies, proper verbs and
    // statuses, `{error_code, message}` errors (from the error handler below).
    registerConnectorsRoutes(routes, api);
    registerConfigRoutes(routes, api);
    registerTasksRoutes(routes, api);
    registerControlRoutes(routes, api);
    registerOffsetsRoutes(routes, api);
    registerTopicsRoutes(routes, api);
    registerPluginsRoutes(routes, api);
    registerClusterRoutes(routes, api);
    registerRootRoutes(routes, api, readiness);
    registerLoggerRoutes(routes, opts.logs);
    if (opts.metrics) registerMetricsRoute(routes, opts.metrics, api);
    if (opts.ui !== false) registerUiRoutes(routes);
    routes.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const allowed = methodsOf(path).filter((m) => m !== 'HEAD');
    if (allowed.length > 0)
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({
          error_code: 405,
          message: `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`,
        });
    return reply.code(404).send({ error_code: 404, message: `no route ${req.method} ${path.slice(0, 200)}` });
  });
  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500)
      return reply.code(status).send({ error_code: status, message: (err as Error).message });
    const e = asSluiceError(err);
    return reply.code(HTTP_STATUS[e.code]).send({ error_code: HTTP_STATUS[e.code], message: e.message });
  });
  return app;
}

export async function startServer(api: WorkerApi, opts: HttpOptions): Promise<FastifyInstance> {
  const app = buildServer(api, opts);
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
