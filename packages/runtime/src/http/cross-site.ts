import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes state although its method is GET (the seed's writes). */
    changesState?: boolean;
    /** One of the seed's routes: gated by seedRoutes. */
    seed?: 'read' | 'write';
  }
}

/** Methods that never change state, unless a route says it does (the seed's GET writes). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the verdict reads of a request. */
export interface RequestSite {
  method: string;
  /** The route changes state whatever its method (the seed's GET routes that write). */
  changesState: boolean;
  host: string | undefined;
  secFetchSite: string | undefined;
  origin: string | undefined;
  referer: string | undefined;
}

/**
 * Whether a browser sent this state-changing request from a page of another site: the reason
 * to refuse it, or undefined to let it through. A web page the operator opens can make the
 * browser send requests to the API (an `<img>` for a GET, a form for a POST) but cannot choose
 * the headers that say where the request came from: `Sec-Fetch-Site` (every current browser),
 * else `Origin`, else `Referer`. A request with none of them is not from a page (curl, scripts,
 * the CLI, other tools) and goes through, as does one from the worker's own pages (the dashboard)
 * or from an origin in `allowed`.
 */
export function crossSiteRefusal(req: RequestSite, allowed: ReadonlySet<string>): string | undefined {
  if (SAFE_METHODS.has(req.method) && !req.changesState) return undefined;
  const site = req.secFetchSite?.toLowerCase();
  const from = req.origin ?? originOf(req.referer);
  if (from !== undefined && allowed.has(from.toLowerCase())) return undefined;
  if (site === 'cross-site' || site === 'same-site')
    return `a state-changing request sent by a web page of another site (Sec-Fetch-Site: ${site}${from ? `, from ${from}` : ''})`;
  if (site === 'same-origin' || site === 'none') return undefined;
  if (from === undefined) return undefined;
  if (from === 'null' || hostOf(from) !== req.host?.toLowerCase())
    return `a state-changing request sent by a web page of another site (from ${from})`;
  return undefined;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Refuses (403) state-changing requests that browsers send cross-site; routes that change state
 * over GET say so with `config: { changesState: true }`. Origins in `allowed` may.
 */
export function refuseCrossSite(app: FastifyInstance, allowed: readonly string[] = []): void {
  const origins = new Set(allowed.map((o) => o.toLowerCase().replace(/\/$/, '')));
  app.addHook('onRequest', async (req, reply) => {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const why = crossSiteRefusal(
      {
        method: req.method,
        changesState:
          (req.routeOptions.config as { changesState?: boolean } | undefined)?.changesState === true,
        host: header('host'),
        secFetchSite: header('sec-fetch-site'),
        origin: header('origin'),
        referer: header('referer'),
      },
      origins,
    );
    if (!why) return;
    return reply.code(403).send({
      error_code: 403,
      message: `refused ${why}: nothing changed. Send it from the worker's own dashboard, without a browser (curl, the sluice CLI), or list that origin in httpAllowedOrigins`,
    });
  });
}
