import type { Logger } from '@sluice/connect-api';
import { withoutSecrets } from '../config/config-references.ts';

/**
 * The logger a connector's code and runners get when its config held references: every message
 * and string field has the resolved secrets cut out (a connector may log the config it was given,
 * or an error quoting it). Without secrets it is the logger itself.
 */
export function secretFreeLogger(logger: Logger, secrets: ReadonlyMap<string, string>): Logger {
  if (secrets.size === 0) return logger;
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return withoutSecrets(v, secrets);
    if (v instanceof Error) return withoutSecrets(v.stack ?? v.message, secrets);
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]));
    return v;
  };
  const level =
    (write: (msg: string, fields?: Record<string, unknown>) => void) =>
    (msg: string, fields?: Record<string, unknown>) =>
      fields === undefined
        ? write(withoutSecrets(msg, secrets))
        : write(withoutSecrets(msg, secrets), clean(fields) as Record<string, unknown>);
  return {
    debug: level((m, f) => logger.debug(m, f)),
    info: level((m, f) => logger.info(m, f)),
    warn: level((m, f) => logger.warn(m, f)),
    error: level((m, f) => logger.error(m, f)),
  };
}
