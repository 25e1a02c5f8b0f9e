/** Bad usage or no worker to talk to: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
