import type { FastifyInstance } from 'fastify';
import type { ConnectorReads, ConnectorWrites } from '../../herder/herder-api.ts';
import * as S from '../schemas.ts';
import { connectorPath, createBody, infoBody, type Name, statusBody } from '../views.ts';

/** Connectors as resources: list, create, read, delete, status. */
export function registerConnectorsRoutes(app: FastifyInstance, api: ConnectorReads & ConnectorWrites): void {
  app.get<{ Querystring: { expand?: string | string[] } }>(
    '/connectors',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Connector names, or with expand a map of name → status / info',
        querystring: S.ExpandQuery,
      },
    },
    async (req) => {
      const expand = new Set([req.query.expand ?? []].flat().flatMap((e) => e.split(',')));
      const all = api.listConnectors();
      if (expand.size === 0) return all.map((c) => c.name);
      return Object.fromEntries(
        all.map((c) => [
          c.name,
          {
            ...(expand.has('info') ? { info: infoBody(api, c) } : {}),
            ...(expand.has('status') ? { status: statusBody(api, c) } : {}),
          },
        ]),
      );
    },
  );
  app.post(
    '/connectors',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Create a connector',
        body: S.CreateBody,
        response: { 201: S.ConnectorInfoBody, ...S.errors(400, 409) },
      },
    },
    async (req, reply) => {
      const { name, config, target } = createBody(req.body);
      const created = await api.createConnector(name, config, { target });
      return reply.code(201).header('location', connectorPath(name)).send(infoBody(api, created));
    },
  );
  app.get<Name>(
    '/connectors/:name',
    {
      schema: {
        tags: ['connectors'],
        summary: 'A connector: config (secrets masked), tasks, type',
        params: S.NameParams,
        response: { 200: S.ConnectorInfoBody, ...S.errors(404) },
      },
    },
    async (req) => infoBody(api, api.getConnector(req.params.name)),
  );
  app.delete<Name>(
    '/connectors/:name',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Stop a connector and delete its config',
        params: S.NameParams,
        response: S.errors(404),
      },
    },
    async (req, reply) => {
      await api.removeConnector(req.params.name);
      return reply.code(204).send();
    },
  );
  app.get<Name>(
    '/connectors/:name/status',
    {
      schema: {
        tags: ['connectors'],
        summary: 'State of the connector and every task, with worker and error trace',
        params: S.NameParams,
        response: { 200: S.ConnectorStatusBody, ...S.errors(404) },
      },
    },
    async (req) => statusBody(api, api.getConnector(req.params.name)),
  );
}
