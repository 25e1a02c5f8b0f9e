import type { FastifyInstance, FastifyReply } from 'fastify';
import { asSluiceError, HTTP_STATUS } from '../../errors.ts';

// What the seed's routes share: their OpenAPI entry and their text answers.

export type SeedParams = { connectorName?: string; taskNum?: string };

export const seed = (summary: string, config = false, writes = false) => ({
  // Read by the hooks: seedRoutes=readonly|disabled, and the cross-site refusal (GETs that write).
  config: { seed: writes ? ('write' as const) : ('read' as const), changesState: writes },
  schema: {
    tags: ['seed'],
    summary,
    ...(config
      ? {
          querystring: {
            type: 'object',
            properties: { config: { type: 'string', description: 'The connector config as JSON' } },
          },
        }
      : {}),
  },
});

/** A seed GET route that changes state. */
export const seedWrite = (summary: string, config = false) => seed(summary, config, true);

/**
 * `seedRoutes=readonly`: the seed's GET routes that change state answer 403; `disabled`: all of
 * them do. Each says which key turned it off, so a script's author knows what to change.
 */
export function gateSeedRoutes(app: FastifyInstance, mode: 'enabled' | 'readonly' | 'disabled'): void {
  if (mode === 'enabled') return;
  app.addHook('onRequest', async (req, reply) => {
    const kind = req.routeOptions.config?.seed;
    if (kind === undefined || (mode === 'readonly' && kind === 'read')) return;
    return reply.code(403).send({
      error_code: 403,
      message: `the original design's GET routes ${mode === 'readonly' ? 'that change state are off (seedRoutes=readonly)' : 'are off (seedRoutes=disabled)'}: use the resource API (${SEED_HINT})`,
    });
  });
}

const SEED_HINT =
  'POST /connectors, PUT /connectors/{name}/config, DELETE /connectors/{name}; docs/http-api.md';

/** The seed's text answers: `success` (or what `run` returns), or `failed:<reason>` with a real status. */
export async function seedText(reply: FastifyReply, run: () => Promise<string>) {
  try {
    return reply.type('text/plain; charset=utf-8').send(await run());
  } catch (err) {
    const e = asSluiceError(err);
    return reply.code(HTTP_STATUS[e.code]).type('text/plain; charset=utf-8').send(`failed:${e.message}`);
  }
}
