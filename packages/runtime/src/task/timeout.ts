/** A call into connector code that did not return in time. */
export class ConnectorTimeoutError extends Error {
  override name = 'ConnectorTimeoutError';
}

/**
 * Bounds a call into connector code: a connector that hangs must not hang the worker. The call
 * itself cannot be cancelled; its late result is ignored. `what` names the call in the error
 * (a function: built only when it times out — every poll of every task goes through here).
 */
export function withTimeout<T>(
  what: string | (() => string),
  ms: number,
  call: () => T | Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const name = typeof what === 'string' ? what : what();
      reject(new ConnectorTimeoutError(`${name} did not return within ${ms} ms`));
    }, ms);
    let result: T | Promise<T>;
    try {
      result = call();
    } catch (err) {
      clearTimeout(timer);
      reject(err);
      return;
    }
    Promise.resolve(result).then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
