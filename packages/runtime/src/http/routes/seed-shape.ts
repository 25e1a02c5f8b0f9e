import type { FastifyReply } from 'fastify';
import { asSluiceError, HTTP_STATUS } from '../../errors.ts';

// What the seed's routes share: their OpenAPI entry and their text answers.

export type SeedParams = { connectorName?: string; taskNum?: string };

export const seed = (summary: string, config = false) => ({
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

/** The seed's text answers: `success` (or what `run` returns), or `failed:<reason>` with a real status. */
export async function seedText(reply: FastifyReply, run: () => Promise<string>) {
  try {
    return reply.type('text/plain; charset=utf-8').send(await run());
  } catch (err) {
    const e = asSluiceError(err);
    return reply.code(HTTP_STATUS[e.code]).type('text/plain; charset=utf-8').send(`failed:${e.message}`);
  }
}
