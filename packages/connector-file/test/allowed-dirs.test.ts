import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileConnectors } from '../src/index.ts';

test('file connectors confined to their directories: .. and links out are refused at validate and at task start', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sluice-dirs-'));
  try {
    const allowed = join(root, 'data');
    const outside = join(root, 'secret');
    await mkdir(allowed);
    await mkdir(outside);
    await writeFile(join(outside, 'key.txt'), 'k\n');
    await symlink(outside, join(allowed, 'link'));
    const plugin = fileConnectors({ allowedDirs: [allowed] });
    const source = plugin.connectors.FileStreamSource!();
    const issues = async (file: string) =>
      (await source.validate!({ file, topic: 't' })).map((i) => i.message);
    assert.deepEqual(await issues(join(allowed, 'in.txt')), [], 'a file not there yet, inside');
    assert.deepEqual(await issues(join(allowed, 'new', 'deeper.txt')), []);
    assert.match(
      (await issues(join(allowed, '..', 'secret', 'key.txt')))[0]!,
      /outside the directories.*fileConnectorDirs/,
    );
    assert.match((await issues(join(allowed, 'link', 'key.txt')))[0]!, /really .*secret/);
    assert.match((await issues('/etc/passwd'))[0]!, /outside/);
    const sink = plugin.connectors.FileStreamSink!();
    assert.equal((await sink.validate!({ file: join(root, 'out.txt'), topics: 't' })).length, 1);
    // Checked again when the task starts: the link may have been made after the validation.
    const task = sink.createTask();
    await assert.rejects(
      async () => task.start({ file: join(allowed, 'link', 'out.txt'), topics: 't' }, {} as never),
      /outside/,
    );
    // The plugin made without directories (tests, embedding) takes any path.
    assert.deepEqual(
      await fileConnectors().connectors.FileStreamSource!().validate!({ file: '/etc/passwd', topic: 't' }),
      [],
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
