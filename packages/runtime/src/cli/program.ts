// The `sluice` command line: worker commands and client commands on one commander program.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { addClientCommands, CLIENT_HELP_AFTER, UsageError } from './client.ts';

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

const SETTINGS_HELP = `
Worker settings come from the config file, then SLUICE_* environment variables (SLUICE_HTTP_PORT
for httpPort), then --set, each overriding the one before. docs/reference.md lists every key.`;

// The worker's modules (fastify, the Kafka client, …) load only when a worker runs: the client
// commands, --help and --version stay quick.
const workerCommands = () => import('./worker-commands.ts');

const collect = (value: string, previous: string[] = []) => [...previous, value];

function buildProgram(io: CliIO, exit: (code: number) => void): Command {
  const program = new Command('sluice')
    .description('Sluice: a connector runtime for Apache RocketMQ — run a worker, or drive one over HTTP')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'this text')
    .exitOverride()
    // Errors come back as a thrown CommanderError and are printed once, by the caller.
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} })
    .addHelpText('after', CLIENT_HELP_AFTER);

  program
    .command('standalone')
    .description('run one worker with file-backed stores under storePathRootDir')
    .argument('<connect.conf>', 'the worker config file (Java properties)')
    .argument('[connectors...]', 'connector .properties or .json files to create (or replace) at start')
    .option('--set <key=value>', 'override a worker setting (repeatable)', collect)
    .option('--pretty', 'log for a person (time, level, message, key=value) instead of JSON lines')
    .addHelpText('after', SETTINGS_HELP)
    .action(async (conf: string, files: string[], opts: { set?: string[]; pretty?: boolean }) =>
      (await workerCommands()).standalone(conf, files, { set: opts.set ?? [], pretty: opts.pretty === true }),
    );

  program
    .command('worker')
    .description(
      'join the cluster of workers sharing this name server; configs, positions and offsets live in RocketMQ topics',
    )
    .argument('<connect.conf>', 'the worker config file (Java properties)')
    .option('--set <key=value>', 'override a worker setting (repeatable)', collect)
    .option('--pretty', 'log for a person (time, level, message, key=value) instead of JSON lines')
    .addHelpText('after', SETTINGS_HELP)
    .action(async (conf: string, opts: { set?: string[]; pretty?: boolean }) =>
      (await workerCommands()).clusterWorker(conf, { set: opts.set ?? [], pretty: opts.pretty === true }),
    );

  addClientCommands(program, { out: io.out, err: io.err, exit });
  return program;
}

/**
 * Runs one command line (without `node` and the script). Resolves to the exit code for commands
 * that finish; a worker command resolves once its worker runs. Bad usage rejects with UsageError.
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  // Subcommands of subcommands inherit the settings above only when made after them.
  const inherit = (cmd: Command) => {
    for (const c of cmd.commands) {
      c.exitOverride().configureOutput(program.configureOutput());
      inherit(c);
    }
  };
  inherit(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // --help and --version print and end well; a group without its subcommand prints its help.
    if (err.exitCode === 0) return 0;
    if (err.code === 'commander.help') return 2;
    throw new UsageError(`${err.message.replace(/^error: /, '')} (sluice --help lists the commands)`);
  }
  return code;
}

/** The client commands, output collected (tests); same parsing as the real command line. */
export function runClient(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = out,
) {
  return runCli(argv, { out, err });
}
