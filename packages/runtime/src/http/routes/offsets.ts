import type { FastifyInstance } from 'fastify';
import type { OffsetsAdmin } from '../../herder/herder-api.ts';
import { parseOffsetEntries } from '../../worker/connector-offsets.ts';
import * as S from '../schemas.ts';
import type { Name } from '../views.ts';

/** Where a connector resumes: read any time, changed or reset while stopped. */
export function registerOffsetsRoutes(app: FastifyInstance, api: OffsetsAdmin): void {
  app.get<Name>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags: ['offsets'],
        summary: 'Where the connector resumes',
        params: S.NameParams,
        response: { 200: S.OffsetsBody, ...S.errors(404, 409) },
      },
    },
    async (req) => ({
      offsets: await api.connectorOffsets(req.params.name),
    }),
  );
  app.patch<Name>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags: ['offsets'],
        summary: 'Change offsets (stopped connectors only)',
        params: S.NameParams,
        body: S.OffsetsBody,
        response: { 200: S.MessageBody, ...S.errors(400, 404, 409) },
      },
    },
    async (req) => {
      await api.alterConnectorOffsets(req.params.name, parseOffsetEntries(req.body));
      return { message: `the offsets of connector ${req.params.name} have been altered` };
    },
  );
  app.delete<Name>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags: ['offsets'],
        summary: 'Reset every offset (stopped connectors only)',
        params: S.NameParams,
        response: { 200: S.MessageBody, ...S.errors(404, 409) },
      },
    },
    async (req) => {
      await api.resetConnectorOffsets(req.params.name);
      return { message: `the offsets of connector ${req.params.name} have been reset` };
    },
  );
}
