import type { Logger } from '@sluice/connect-api';
import { pino } from 'pino';
import { SluiceError } from '../errors.ts';
import { prettyDestination } from './pretty.ts';

/** Kafka Connect's (log4j's) level names, as /admin/loggers takes and shows them. */
export const LOG_LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The worker's log levels at run time (/admin/loggers). Sluice logs through one logger, `root`:
 * a level set on it applies to everything the worker logs.
 */
export interface LogAdmin {
  loggers(): Record<string, { level: LogLevel; last_modified: number | null }>;
  /** Sets a logger's level; returns the loggers it changed. */
  setLevel(name: string, level: string): string[];
}

const TO_PINO: Record<LogLevel, pino.LevelWithSilent> = {
  OFF: 'silent',
  FATAL: 'fatal',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  TRACE: 'trace',
};

/**
 * The worker's log and the handle that changes its level while it runs: JSON lines on stderr
 * (pino), or with `pretty` lines for a person. `level` is the worker's logLevel (default info).
 */
export function createWorkerLog(
  bindings: Record<string, unknown> = {},
  opts: { level?: string; pretty?: boolean } = {},
): { logger: Logger; admin: LogAdmin } {
  const options = { level: opts.level ?? 'info', base: bindings };
  const base = opts.pretty ? pino(options, prettyDestination()) : pino(options, pino.destination(2));
  let lastModified: number | null = null;
  const admin: LogAdmin = {
    loggers: () => ({ root: { level: fromPino(base.level), last_modified: lastModified } }),
    setLevel(name, level) {
      const wanted = level.toUpperCase() as LogLevel;
      if (!LOG_LEVELS.includes(wanted))
        throw new SluiceError('BAD_REQUEST', `invalid log level "${level}": one of ${LOG_LEVELS.join(', ')}`);
      if (name !== 'root')
        throw new SluiceError(
          'NOT_FOUND',
          `Sluice logs through one logger, root (no logger "${name.slice(0, 200)}")`,
        );
      base.level = TO_PINO[wanted];
      lastModified = Date.now();
      return ['root'];
    },
  };
  return { logger: wrap(base), admin };
}

function fromPino(level: string): LogLevel {
  const found = (Object.entries(TO_PINO) as [LogLevel, string][]).find(([, p]) => p === level);
  return found?.[0] ?? 'INFO';
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
