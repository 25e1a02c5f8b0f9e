import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The dashboard's files sit beside src/ and dist/ in the package, so one path serves both. */
const UI_DIR = new URL('../../../ui/', import.meta.url);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The dashboard at /ui: a handful of static files, read once at start (about 25 kB, no build
 * step, nothing from a CDN). Only the files found at start are served, by exact name: a path
 * never reaches the file system. The files are public; the data they fetch is behind the token.
 */
export function registerUiRoutes(app: FastifyInstance): void {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of readdirSync(UI_DIR)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { type, body: readFileSync(new URL(name, UI_DIR)) });
  }
  const hide = { schema: { hide: true } };
  app.get('/ui', hide, async (_req, reply) => reply.redirect('/ui/'));
  const serve = (name: string, reply: FastifyReply) => {
    const file = files.get(name);
    if (!file) return reply.code(404).send({ error_code: 404, message: `no file ${name.slice(0, 100)}` });
    return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
  };
  app.get('/ui/', hide, async (_req, reply) => serve('index.html', reply));
  app.get<{ Params: { file: string } }>('/ui/:file', hide, async (req, reply) =>
    serve(req.params.file, reply),
  );
}

/** The dashboard's files are served without the token (the data they fetch needs it). */
export function isUiFile(url: string): boolean {
  return url === '/ui' || (url.startsWith('/ui/') && !url.slice(4).includes('/'));
}
