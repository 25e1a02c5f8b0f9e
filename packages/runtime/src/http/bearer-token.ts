import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AuthExempt } from '../config/worker-keys.ts';
import { isUiFile } from './routes/ui.ts';

export type { AuthExempt };

export function isHealth(url: string): boolean {
  return url === '/health' || url.startsWith('/health?');
}

function isMetrics(url: string): boolean {
  const path = url.split('?')[0]!;
  return path === '/metrics' || /^\/workers\/[^/]+\/metrics$/.test(path);
}

const EXEMPT_TEST: Record<AuthExempt, (url: string) => boolean> = {
  health: isHealth,
  // The dashboard's static files: its data comes from the API, which still needs the token.
  ui: isUiFile,
  metrics: isMetrics,
};

/**
 * Every request needs `Authorization: Bearer <token>` but those `exempt` names (by default the
 * health check and the dashboard's files). The comparison takes constant time, so the token
 * does not leak through response timing.
 */
export function requireToken(app: FastifyInstance, token: string, exempt: readonly AuthExempt[]): void {
  const expected = Buffer.from(`Bearer ${token}`);
  const open = exempt.map((e) => EXEMPT_TEST[e]);
  app.addHook('onRequest', async (req, reply) => {
    if (open.some((isOpen) => isOpen(req.url))) return;
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error_code: 401, message: 'missing or wrong bearer token' });
    }
  });
}
