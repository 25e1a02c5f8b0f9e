import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signRequest } from '../../src/index.ts';

// Vectors from the protocol spec §9.1 (computed with javax.crypto and node:crypto alike).
test('signature over sorted extField values', () => {
  const ext: Record<string, string> = { topic: 'TopicTest' };
  signRequest(ext, undefined, { accessKey: 'rocketmq2', secretKey: '12345678' });
  assert.equal(ext.AccessKey, 'rocketmq2');
  assert.equal(ext.Signature, 'GeeGoP9mRvDhoVp4PD5omX0prgE=');
});

test('signature covers the body', () => {
  const ext: Record<string, string> = { topic: 'TopicTest' };
  signRequest(ext, Buffer.from('{"clientID":"x"}'), { accessKey: 'rocketmq2', secretKey: '12345678' });
  assert.equal(ext.Signature, 'Z80kvr47adoLKh44JOYRxb1rVAs=');
});

test('signing again replaces the old signature instead of signing it', () => {
  const ext: Record<string, string> = { topic: 'TopicTest' };
  signRequest(ext, undefined, { accessKey: 'rocketmq2', secretKey: '12345678' });
  signRequest(ext, undefined, { accessKey: 'rocketmq2', secretKey: '12345678' });
  assert.equal(ext.Signature, 'GeeGoP9mRvDhoVp4PD5omX0prgE=');
});
