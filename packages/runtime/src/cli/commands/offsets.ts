import type { Command } from 'commander';
import { type Act, clientCommand, UsageError } from '../client-command.ts';
import { call, connectorPath as path } from '../http-client.ts';
import { show, table } from '../output.ts';
import { jsonArg } from './json-arg.ts';

export interface OffsetsBody {
  offsets: { partition: unknown; offset: unknown }[];
}

export const offsetsText = (body: OffsetsBody) =>
  table(
    ['PARTITION', 'OFFSET'],
    body.offsets.map((o) => [JSON.stringify(o.partition), JSON.stringify(o.offset)]),
  );

/** `sluice connectors offsets <name> [--set <json> | --reset]`. */
export function addOffsetsCommand(connectors: Command, act: Act): void {
  clientCommand(connectors, 'offsets <name>', 'where it resumes; --set or --reset change it (stopped only)')
    .option('--set <json>', '{"offsets":[{partition,offset}]}, inline or @file')
    .option('--reset', 'start afresh')
    .action(
      act(async (ctx, [name], opts) => {
        const p = path(name!, '/offsets');
        if (opts.reset && opts.set !== undefined) throw new UsageError('give --set or --reset, not both');
        if (opts.reset)
          return show(ctx, await call(ctx, 'DELETE', p), () => `reset the offsets of ${name}\n`);
        if (opts.set !== undefined)
          return show(
            ctx,
            await call(ctx, 'PATCH', p, await jsonArg(String(opts.set))),
            () => `altered the offsets of ${name}\n`,
          );
        return show(ctx, await call(ctx, 'GET', p), offsetsText);
      }),
    );
}
