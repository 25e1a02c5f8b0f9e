import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AuthExempt } from '../config/worker-keys.ts';
import { isUiFile } from './routes/ui.ts';

export type { AuthExempt };

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

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
 * health check and the dashboard's files). Digests of the two are compared, in constant time, so
 * neither the token nor its length leaks through response timing.
 */
export function requireToken(app: FastifyInstance, token: string, exempt: readonly AuthExempt[]): void {
  const expected = digest(`Bearer ${token}`);
  const open = exempt.map((e) => EXEMPT_TEST[e]);
  app.addHook('onRequest', async (req, reply) => {
    if (open.some((isOpen) => isOpen(req.url))) return;
    if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error_code: 401, message: 'missing or wrong bearer token' });
    }
  });
}
