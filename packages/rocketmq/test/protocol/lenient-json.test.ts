import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLenientJson, quoteNumericKeys } from '../../src/index.ts';

test('cluster info with unquoted numeric keys parses (spec §4.2, §5.2)', () => {
  const body =
    '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"},"brokerName":"broker-a","cluster":"DefaultCluster"}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}';
  const parsed = parseLenientJson<{
    brokerAddrTable: Record<string, { brokerAddrs: Record<string, string> }>;
  }>(body);
  assert.deepEqual(parsed.brokerAddrTable['broker-a']!.brokerAddrs, {
    0: '127.0.0.1:10911',
    1: '127.0.0.1:10921',
  });
});

test('negative keys and whitespace are handled; colons and braces inside strings are not touched', () => {
  assert.equal(quoteNumericKeys('{ -1 : 3, 2:4}'), '{ "-1" : 3, "2":4}');
  const tricky = '{"a":"{1:x}","b":",2:y","c":"\\",3:"}';
  assert.equal(quoteNumericKeys(tricky), tricky);
  assert.deepEqual(parseLenientJson(tricky), { a: '{1:x}', b: ',2:y', c: '",3:' });
});

test('numbers as values and in arrays stay numbers', () => {
  assert.deepEqual(parseLenientJson('{"a":[1,2,{3:4}],"b":5}'), { a: [1, 2, { 3: 4 }], b: 5 });
});

test('standard JSON passes through unchanged', () => {
  const route =
    '{"brokerDatas":[{"brokerAddrs":{"0":"172.168.0.104:10911"},"brokerName":"b1"}],"queueDatas":[]}';
  assert.equal(quoteNumericKeys(route), route);
});

test('garbage is a PROTOCOL_ERROR, not a crash', () => {
  assert.throws(() => parseLenientJson('{0:'), { code: 'PROTOCOL_ERROR' });
});
