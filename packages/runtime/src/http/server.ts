import { timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { HTTP_STATUS } from '../errors.ts';
import type { WorkerApi } from '../worker/worker-api.ts';
import { registerRestRoutes } from './rest-routes.ts';
import { HealthBody } from './schemas.ts';
import { asSluiceError, registerSeedRoutes } from './seed-routes.ts';

export interface HttpOptions {
  host: string;
  port: number;
  /** Largest request body accepted (default 1 MiB). */
  bodyLimit?: number;
  /** When set, every route but /health needs `Authorization: Bearer <token>`. */
  authToken?: string | undefined;
  /** PEM certificate and key: HTTPS. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
}

const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Sluice worker API',
    version: '0.1.0',
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
  if (opts.authToken) {
    const expected = Buffer.from(`Bearer ${opts.authToken}`);
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/health' || req.url.startsWith('/health?')) return;
      const given = Buffer.from(req.headers.authorization ?? '');
      // Constant-time comparison: the token must not leak through response timing.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ error_code: 401, message: 'missing or wrong bearer token' });
      }
    });
  }
  // The routes go in a plugin registered after swagger's, so that its onRoute hook sees them.
  app.register(swagger, { openapi: OPENAPI });
  app.register(async (routes) => {
    registerSeedRoutes(routes, api);
    registerRestRoutes(routes, api);
    routes.get(
      '/health',
      {
        schema: { tags: ['workers'], summary: 'Liveness: the worker answers', response: { 200: HealthBody } },
      },
      async () => ({ status: 'UP', workerId: api.workerId }),
    );
    routes.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error_code: 404, message: `no route ${req.method} ${req.url.split('?')[0]?.slice(0, 200)}` }),
  );
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
