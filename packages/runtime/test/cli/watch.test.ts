import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/usage-error.ts';
import { watch, watchOptions } from '../../src/cli/watch.ts';

test('watch: into a pipe a frame prints only when it changed; a failed refresh shows and it goes on', async () => {
  const frames = ['a\n', 'a\n', 'fail', 'b\n', 'b\n'];
  const out: string[] = [];
  const code = await watch(
    async () => {
      const f = frames.shift()!;
      if (f === 'fail') throw new Error('no worker answers');
      return f;
    },
    (s) => out.push(s),
    { interval: 0.01, iterations: 5 },
  );
  assert.equal(code, 0);
  assert.deepEqual(out, ['a\n', 'error: no worker answers\n', 'b\n']);
});

test('watch options: defaults, and bad values are usage errors', () => {
  assert.deepEqual(watchOptions({}), { interval: 2, iterations: undefined });
  assert.deepEqual(watchOptions({ interval: '0.5', iterations: '3' }), { interval: 0.5, iterations: 3 });
  assert.throws(() => watchOptions({ interval: '0' }), UsageError);
  assert.throws(() => watchOptions({ interval: 'x' }), UsageError);
  assert.throws(() => watchOptions({ iterations: '1.5' }), UsageError);
});
