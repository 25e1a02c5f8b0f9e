// Lists of callers waiting for something to happen, woken all at once.

/** Wakes every waiter of the list. */
export function wake(waiters: (() => void)[]): void {
  for (const w of waiters.splice(0)) w();
}

/** Resolves on the next `wake` of this list, or after `ms`. */
export function waitOn(waiters: (() => void)[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    waiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
