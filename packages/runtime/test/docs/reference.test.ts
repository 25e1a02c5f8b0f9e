import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { renderReference } from './render-reference.ts';

test('docs/reference.md is what the specs generate (run `npm run docs` after changing a spec)', async () => {
  const onDisk = await readFile(new URL('../../../../docs/reference.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderReference());
});
