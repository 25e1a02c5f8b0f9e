import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SluiceError } from '../../errors.ts';
import type { PluginsApi } from '../../herder/herder-api.ts';
import { configDefinitions, configInfos } from '../config-infos.ts';
import { configObject } from '../config-param.ts';
import * as S from '../schemas.ts';
import { flag } from '../views.ts';

// Besides connectors, the one converter Sluice has: it moves keys and values as bytes.
const CONVERTERS = [
  { class: 'org.apache.kafka.connect.converters.ByteArrayConverter', type: 'converter', version: 'sluice' },
];

const PluginParams = Type.Object({ plugin: Type.String() });

/** Installed connector classes, their config definitions, and config validation. */
export function registerPluginsRoutes(app: FastifyInstance, api: PluginsApi): void {
  app.get<{ Querystring: { connectorsOnly?: string } }>(
    '/connector-plugins',
    {
      schema: {
        tags: ['plugins'],
        summary: 'Installed connector classes (with connectorsOnly=false also the converters)',
        querystring: Type.Object({ connectorsOnly: Type.Optional(Type.String()) }),
        response: { 200: S.PluginsBody, ...S.errors(400) },
      },
    },
    async (req) => {
      const connectorsOnly =
        req.query.connectorsOnly === undefined || flag('connectorsOnly', req.query.connectorsOnly);
      const connectors = api.plugins().map((p) => ({ class: p.className, type: p.type, version: p.version }));
      return connectorsOnly ? connectors : [...connectors, ...CONVERTERS];
    },
  );
  app.get<{ Params: { plugin: string } }>(
    '/connector-plugins/:plugin/config',
    {
      schema: {
        tags: ['plugins'],
        summary: 'Every key a plugin’s configs may have, with type, default and documentation',
        params: PluginParams,
        response: { 200: Type.Array(S.ConfigKeyInfo), ...S.errors(404) },
      },
    },
    async (req) => configDefinitions(api.pluginSpec(req.params.plugin)),
  );
  app.put<{ Params: { plugin: string } }>(
    '/connector-plugins/:plugin/config/validate',
    {
      schema: {
        tags: ['plugins'],
        summary: 'Check a config against the plugin’s spec, field by field (Kafka Connect’s ConfigInfos)',
        params: PluginParams,
        body: S.ConfigInput,
        response: { 200: S.ValidateBody, ...S.errors(400) },
      },
    },
    async (req) => {
      const config = configObject(req.body);
      const named = config['connector.class'] ?? config['connector-class'];
      if (named !== undefined && !api.sameClass(named, req.params.plugin))
        throw new SluiceError(
          'BAD_REQUEST',
          `the config's connector.class ${named.slice(0, 200)} is not the plugin of the URL, ${req.params.plugin.slice(0, 200)}`,
        );
      const { spec, issues, className } = await api.validate(req.params.plugin, config);
      return configInfos(className, spec, config, issues);
    },
  );
}
