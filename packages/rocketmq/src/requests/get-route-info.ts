// GET_ROUTEINFO_BY_TOPIC (105), client → name server (spec §4.1, §5.1).
import { RequestCode, ResponseCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { parseLenientJson } from '../protocol/lenient-json.ts';
import { expectSuccess, type Request } from '../transport/request.ts';

export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSysFlag: number;
}

export interface BrokerData {
  cluster: string;
  brokerName: string;
  /** brokerId → address; id 0 is the master. */
  brokerAddrs: Record<string, string>;
}

export interface TopicRouteData {
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
}

export function encodeGetRouteInfo(topic: string): Request {
  // acceptStandardJsonOnly: name servers ≥ 4.9.4 then write quoted keys; older ones are parsed leniently.
  return { code: RequestCode.GET_ROUTEINFO_BY_TOPIC, extFields: { topic, acceptStandardJsonOnly: 'true' } };
}

/** The route, or undefined when the name server has none for the topic. */
export function decodeGetRouteInfo(cmd: RemotingCommand, topic: string): TopicRouteData | undefined {
  if (cmd.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
  expectSuccess(cmd, `route of ${topic}`);
  const raw = parseLenientJson<{
    orderTopicConf?: string;
    queueDatas?: (Omit<QueueData, 'topicSysFlag'> & { topicSysFlag?: number; topicSynFlag?: number })[];
    brokerDatas?: BrokerData[];
  }>(cmd.body?.toString('utf8') ?? '{}');
  return {
    ...(raw.orderTopicConf ? { orderTopicConf: raw.orderTopicConf } : {}),
    // topicSynFlag is how name servers up to 4.8 spell it.
    queueDatas: (raw.queueDatas ?? []).map((q) => ({
      brokerName: q.brokerName,
      readQueueNums: q.readQueueNums,
      writeQueueNums: q.writeQueueNums,
      perm: q.perm,
      topicSysFlag: q.topicSysFlag ?? q.topicSynFlag ?? 0,
    })),
    brokerDatas: (raw.brokerDatas ?? []).map((b) => ({
      cluster: b.cluster,
      brokerName: b.brokerName,
      brokerAddrs: { ...b.brokerAddrs },
    })),
  };
}
