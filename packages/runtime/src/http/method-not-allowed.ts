import type { FastifyInstance } from 'fastify';

/**
 * Tells a wrong method (405, with Allow) from a wrong path (404), as Kafka Connect does: the
 * router itself only says "not found". Route patterns are collected as they are registered.
 */
export function trackMethods(app: FastifyInstance): (path: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    const methods = [route.method].flat().map((m) => m.toUpperCase());
    routes.push({ pattern: new RegExp(`^${source}/?$`), methods });
  });
  return (path) => [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
}
