import { type Command, Option } from 'commander';
import { cliConfigPath, OUTPUTS, readCliConfig } from './cli-config.ts';
import { type ClientContext, type OutputFormat, RefusedError } from './http-client.ts';
import { refused } from './output.ts';
import { UsageError } from './usage-error.ts';

/** What a client command's action gets to print with and report its exit code through. */
export interface ClientIO {
  out: (s: string) => void;
  err: (s: string) => void;
  exit: (code: number) => void;
}

interface CommonOptions {
  url?: string;
  token?: string;
  output?: string;
  json?: boolean;
}

export const DEFAULT_URL = 'http://127.0.0.1:8082';

/** A client command: --url, --token, --output and --json on every one (so they may follow it). */
export function clientCommand(
  parent: Command,
  spec: string,
  description: string,
  opts: { isDefault?: boolean } = {},
): Command {
  return parent
    .command(spec, opts)
    .description(description)
    .addOption(new Option('--url <url>', `the worker (default ${DEFAULT_URL})`).env('SLUICE_URL'))
    .addOption(new Option('--token <token>', 'bearer token of the API').env('SLUICE_TOKEN'))
    .addOption(new Option('-o, --output <format>', 'table (default), json or yaml').choices(OUTPUTS))
    .option('--json', 'the same as --output json');
}

/** Flags first, then SLUICE_URL / SLUICE_TOKEN, then the config file, then the defaults. */
async function context(opts: CommonOptions, io: ClientIO): Promise<ClientContext> {
  const file = await readCliConfig(cliConfigPath());
  const output = (opts.json ? 'json' : (opts.output ?? file.output ?? 'table')) as OutputFormat;
  return {
    // An empty SLUICE_URL or SLUICE_TOKEN counts as not set.
    url: (opts.url || file.url || DEFAULT_URL).replace(/\/$/, ''),
    token: opts.token || file.token,
    output,
    out: io.out,
    err: io.err,
  };
}

export type Action = (ctx: ClientContext, args: string[], opts: Record<string, unknown>) => Promise<number>;

/**
 * An action for commander, which passes the arguments, then the options, then the command. A
 * refusal thrown by `must` is printed (exit 1); a UsageError goes up to the program (exit 2).
 */
export function actionOf(io: ClientIO, fn: Action) {
  return async (...args: unknown[]) => {
    const opts = args.at(-2) as CommonOptions & Record<string, unknown>;
    const ctx = await context(opts, io);
    try {
      io.exit(await fn(ctx, args.slice(0, -2) as string[], opts));
    } catch (err) {
      if (err instanceof RefusedError) io.exit(refused(ctx, err));
      else throw err;
    }
  };
}

export type Act = (fn: Action) => ReturnType<typeof actionOf>;

export { UsageError };
