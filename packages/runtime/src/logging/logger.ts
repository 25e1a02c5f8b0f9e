import type { Logger } from '@sluice/connect-api';
import { pino } from 'pino';

/** The worker's log: JSON lines on stderr (pino), level from SLUICE_LOG_LEVEL (default info). */
export function createLogger(bindings: Record<string, unknown> = {}): Logger {
  const base = pino({ level: process.env.SLUICE_LOG_LEVEL ?? 'info', base: bindings }, pino.destination(2));
  return wrap(base);
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
