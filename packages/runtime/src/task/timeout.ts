/** A call into connector code that did not return in time. */
export class ConnectorTimeoutError extends Error {
  override name = 'ConnectorTimeoutError';
}

/**
 * Bounds a call into connector code: a connector that hangs must not hang the worker. The call
 * itself cannot be cancelled; its late result is ignored.
 */
export async function withTimeout<T>(what: string, ms: number, call: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectorTimeoutError(`${what} did not return within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(call), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
