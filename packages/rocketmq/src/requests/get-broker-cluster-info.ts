// GET_BROKER_CLUSTER_INFO (106), client → name server (spec §4.2). The body always has bare
// numeric keys in brokerAddrs, so it goes through the lenient parser.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { parseLenientJson } from '../protocol/lenient-json.ts';
import { expectSuccess, type Request } from '../transport/request.ts';
import type { BrokerData } from './get-route-info.ts';

export interface ClusterInfo {
  /** brokerName → broker data. */
  brokerAddrTable: Record<string, BrokerData>;
  /** clusterName → broker names. */
  clusterAddrTable: Record<string, string[]>;
}

export function encodeGetBrokerClusterInfo(): Request {
  return { code: RequestCode.GET_BROKER_CLUSTER_INFO, extFields: {} };
}

export function decodeGetBrokerClusterInfo(cmd: RemotingCommand): ClusterInfo {
  expectSuccess(cmd, 'cluster info');
  const raw = parseLenientJson<Partial<ClusterInfo>>(cmd.body?.toString('utf8') ?? '{}');
  return { brokerAddrTable: raw.brokerAddrTable ?? {}, clusterAddrTable: raw.clusterAddrTable ?? {} };
}
