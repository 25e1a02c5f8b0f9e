import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProperties } from '../../src/config/properties.ts';

const SEED = `workerId=CONNECTOR_WORKER_1  #本节点名称,各个worker之间必须唯一
storePathRootDir=E:/rocketmq-connect/storeRoot #本地持久化文件路径,保存偏移量和config信息

# Http port for user to access REST API
httpPort=8082 #rest地址

# Rocketmq namesrvAddr
namesrvAddr=127.0.0.1:9876  #sink端会从改nameSrv指定的rocketMQ集群上拉取消息,同时也会作为节点信息交换的媒介

# RocketMQ acl #账号需要有admin的权限
aclEnable=false
accessKey=rocketmq
secretKey=12345678

autoCreateGroupEnable=true #自动调用admin工具创建consumerGroup.如手工创建可设置为false

#sink和source插件的目录,注意每个sink和source都是独立的类加载器，所以sink和souce打包时如果有依赖需要用shade打成fat包
pluginPaths=C:/Users/11722/.m2/repository/org/apache/rocketmq/rocketmq-connect-rocketmq/0.0.1-SNAPSHOT,C:/Users/11722/.m2/repository/org/apache/rocketmq/rocketmq-connect-kafka/0.0.1-SNAPSHOT
`;

test("the seed's connect.conf, verbatim: trailing ' #' comments are dropped", () => {
  const map = Object.fromEntries(parseProperties(SEED).map((e) => [e.key, e.value]));
  assert.deepEqual(map, {
    workerId: 'CONNECTOR_WORKER_1',
    storePathRootDir: 'E:/rocketmq-connect/storeRoot',
    httpPort: '8082',
    namesrvAddr: '127.0.0.1:9876',
    aclEnable: 'false',
    accessKey: 'rocketmq',
    secretKey: '12345678',
    autoCreateGroupEnable: 'true',
    pluginPaths:
      'C:/Users/11722/.m2/repository/org/apache/rocketmq/rocketmq-connect-rocketmq/0.0.1-SNAPSHOT,C:/Users/11722/.m2/repository/org/apache/rocketmq/rocketmq-connect-kafka/0.0.1-SNAPSHOT',
  });
  assert.equal(parseProperties(SEED).find((e) => e.key === 'httpPort')?.line, 5);
});

test('Java syntax: separators, continuation lines, escapes, ! comments', () => {
  const text = [
    '! a comment',
    'a = 1',
    'b:2',
    'c 3',
    'd=first \\',
    '   second',
    'e=tab\\there \\u00e9',
    'key\\ with\\ spaces=v',
    'f=',
    'g=a#b',
    'h=x \\# not a comment',
  ].join('\n');
  const map = Object.fromEntries(parseProperties(text).map((e) => [e.key, e.value]));
  assert.deepEqual(map, {
    a: '1',
    b: '2',
    c: '3',
    d: 'first second',
    e: 'tab\there é',
    'key with spaces': 'v',
    f: '',
    g: 'a#b',
    h: 'x # not a comment',
  });
});

test('CRLF files and a BOM', () => {
  assert.deepEqual(
    parseProperties('\ufeffa=1\r\nb=2\r\n').map((e) => [e.key, e.value]),
    [
      ['a', '1'],
      ['b', '2'],
    ],
  );
});
