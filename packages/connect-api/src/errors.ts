// The two errors a connector throws to tell the runtime something, and how the runtime
// recognises them. The runtime checks the marker properties, not `instanceof`: a plugin bundles
// its own copy of this package, and a class from another copy is another class.

/**
 * A failure that may go away by itself (the outside system is restarting, a leader moved):
 * thrown from a sink task's `put`, the batch is retried with backoff instead of failing the task.
 * Any error with `retriable: true` counts the same.
 */
export class RetriableError extends Error {
  override name = 'RetriableError';
  readonly retriable = true;
}

/**
 * A source has no more data and never will (a bounded input was read to its end): thrown from
 * `poll`, the runtime sends what is in flight, stores the positions, and the task ends STOPPED
 * instead of FAILED. Any error with `endOfInput: true` counts the same.
 */
export class EndOfInputError extends Error {
  override name = 'EndOfInputError';
  readonly endOfInput = true;
}

export function isRetriableError(err: unknown): boolean {
  return (err as { retriable?: unknown } | null)?.retriable === true;
}

export function isEndOfInput(err: unknown): boolean {
  return (err as { endOfInput?: unknown } | null)?.endOfInput === true;
}
