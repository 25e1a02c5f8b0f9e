import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { HTTP_STATUS } from '../errors.ts';
import type { WorkerApi } from '../worker/worker-api.ts';
import { registerRestRoutes } from './rest-routes.ts';
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

/** The worker's HTTP API. Unknown routes and methods get a JSON 404 / 405. */
export function buildServer(api: WorkerApi, opts: Omit<HttpOptions, 'host' | 'port'> = {}): FastifyInstance {
  const app = (
    opts.tls
      ? Fastify({
          https: opts.tls,
          bodyLimit: opts.bodyLimit ?? 1024 * 1024,
          maxParamLength: 1000,
          logger: false,
        })
      : Fastify({ bodyLimit: opts.bodyLimit ?? 1024 * 1024, maxParamLength: 1000, logger: false })
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
  registerSeedRoutes(app, api);
  registerRestRoutes(app, api);
  app.get('/health', async () => ({ status: 'UP', workerId: api.workerId }));
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
