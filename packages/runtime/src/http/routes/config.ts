import type { FastifyInstance } from 'fastify';
import { withName } from '../../herder/connector-input.ts';
import type { ConnectorReads, ConnectorWrites } from '../../herder/herder-api.ts';
import { configObject } from '../config-param.ts';
import * as S from '../schemas.ts';
import { maskSecrets, unmask } from '../secrets.ts';
import { connectorPath, infoBody, type Name } from '../views.ts';

/** A connector's config: read (secrets masked), replace whole (or create), change some keys. */
export function registerConfigRoutes(app: FastifyInstance, api: ConnectorReads & ConnectorWrites): void {
  app.get<Name>(
    '/connectors/:name/config',
    {
      schema: {
        tags: ['connectors'],
        summary: 'The config (secrets masked)',
        params: S.NameParams,
        response: { 200: S.ConnectorConfig, ...S.errors(404) },
      },
    },
    async (req) => {
      const c = api.getConnector(req.params.name);
      return withName(c.name, maskSecrets(api, c.config));
    },
  );
  app.put<Name>(
    '/connectors/:name/config',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Create, or replace the whole config (201 created, 200 replaced)',
        params: S.NameParams,
        body: S.ConfigInput,
        response: { 200: S.ConnectorInfoBody, 201: S.ConnectorInfoBody, ...S.errors(400, 409) },
      },
    },
    async (req, reply) => {
      const config = configObject(req.body);
      const state = api.connectorState(req.params.name);
      if (state === 'enabled' || state === 'disabled') {
        // PUT replaces the config: keys left out are gone (they take their defaults).
        const old = api.getConnector(req.params.name).config;
        return infoBody(api, await api.replaceConnector(req.params.name, unmask(old, config)));
      }
      const created = await api.createConnector(req.params.name, config);
      return reply.code(201).header('location', connectorPath(req.params.name)).send(infoBody(api, created));
    },
  );
  app.patch<Name>(
    '/connectors/:name/config',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Change some keys (an empty value resets a key to its default; the mask keeps a secret)',
        params: S.NameParams,
        body: S.ConfigInput,
        response: { 200: S.ConnectorInfoBody, ...S.errors(400, 404, 409) },
      },
    },
    async (req) => {
      const changes = configObject(req.body, 'changes');
      const stored = api.getConnector(req.params.name).config;
      return infoBody(api, await api.updateConnector(req.params.name, unmask(stored, changes)));
    },
  );
}
