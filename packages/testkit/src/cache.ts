import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the testkit keeps what outlives one run: resolved classpaths and kept logs.
 * The jars themselves stay in Maven's own cache (~/.m2), which is what makes warm starts cheap.
 */
export function cacheDir(): string {
  return process.env.SLUICE_CACHE_DIR ?? join(homedir(), '.cache', 'sluice');
}
