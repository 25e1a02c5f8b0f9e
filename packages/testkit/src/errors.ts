/** Anything the testkit cannot do: a missing tool, a broker that did not come up, a failed command. */
export class TestkitError extends Error {
  override name = 'TestkitError';
}
