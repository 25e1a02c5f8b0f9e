// UNREGISTER_CLIENT (35), client → broker (spec §4.6): leaves a group at once instead of after
// the broker's 120 s channel expiry, so the others rebalance without waiting.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, type Request } from '../transport/request.ts';

export function encodeUnregisterClient(
  clientID: string,
  groups: { producerGroup?: string; consumerGroup?: string },
): Request {
  return { code: RequestCode.UNREGISTER_CLIENT, extFields: fields({ clientID, ...groups }) };
}

export function decodeUnregisterClient(cmd: RemotingCommand): void {
  expectSuccess(cmd, 'unregister client');
}
