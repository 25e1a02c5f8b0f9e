import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RemotingCommand } from '../../src/index.ts';
import { decodeGetRouteInfo, encodeGetRouteInfo } from '../../src/requests/get-route-info.ts';

const reply = (code: number, body?: string): RemotingCommand => ({
  code,
  language: 'JAVA',
  version: 479,
  opaque: 1,
  flag: 1,
  extFields: {},
  body: body === undefined ? undefined : Buffer.from(body),
});

test('the request asks for standard JSON', () => {
  assert.deepEqual(encodeGetRouteInfo('TopicTest').extFields, {
    topic: 'TopicTest',
    acceptStandardJsonOnly: 'true',
  });
});

test('a non-standard route (old name server: bare keys, topicSynFlag) decodes (spec §5.1)', () => {
  const body =
    '{"brokerDatas":[{"brokerAddrs":{0:"172.168.0.104:10911"},"brokerName":"b1","cluster":"DefaultCluster"}],"filterServerTable":{},"queueDatas":[{"brokerName":"b1","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}';
  assert.deepEqual(decodeGetRouteInfo(reply(0, body), 'TopicTest'), {
    queueDatas: [{ brokerName: 'b1', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
    brokerDatas: [{ cluster: 'DefaultCluster', brokerName: 'b1', brokerAddrs: { 0: '172.168.0.104:10911' } }],
  });
});

test('TOPIC_NOT_EXIST means no route; other failures throw with the remark', () => {
  assert.equal(decodeGetRouteInfo(reply(17), 't'), undefined);
  assert.throws(() => decodeGetRouteInfo({ ...reply(1), remark: 'name server not ready' }, 't'), {
    code: 'BROKER_ERROR',
    responseCode: 1,
    remark: 'name server not ready',
  });
});
