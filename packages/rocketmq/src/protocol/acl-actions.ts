import { RequestCode, ResponseCode } from './codes.ts';
import type { RemotingCommand } from './command.ts';

// RocketMQ 5's ACL 2.0 names the user and the resource it refused, not the right that was
// missing: that follows from the request (each request header's @RocketMQAction). Naming it lets
// an operator grant exactly that (mqadmin createAcl … -a <action>) instead of guessing.

const ACTION_OF: ReadonlyMap<number, string> = new Map([
  [RequestCode.SEND_MESSAGE, 'Pub'],
  [RequestCode.SEND_MESSAGE_V2, 'Pub'],
  [RequestCode.SEND_BATCH_MESSAGE, 'Pub'],
  [RequestCode.PULL_MESSAGE, 'Sub'],
  [RequestCode.HEART_BEAT, 'Sub'],
  [RequestCode.UPDATE_CONSUMER_OFFSET, 'Sub'],
  [RequestCode.QUERY_CONSUMER_OFFSET, 'Get'],
  [RequestCode.GET_MAX_OFFSET, 'Get'],
  [RequestCode.GET_MIN_OFFSET, 'Get'],
  [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, 'Get'],
  [RequestCode.GET_CONSUMER_LIST_BY_GROUP, 'Get'],
  [RequestCode.VIEW_MESSAGE_BY_ID, 'Get'],
  [RequestCode.UPDATE_AND_CREATE_TOPIC, 'Create'],
  [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, 'Create'],
  [RequestCode.DELETE_TOPIC_IN_BROKER, 'Delete'],
  [RequestCode.DELETE_SUBSCRIPTIONGROUP, 'Delete'],
]);

/** The right a request needs under ACL 2.0, if known. */
export function requiredAction(requestCode: number): string | undefined {
  return ACTION_OF.get(requestCode);
}

/**
 * A NO_PERMISSION answer with the missing right added to its remark: "User:x has no permission
 * to access Topic:t … (needs the Pub right)". A refused signature (a wrong key) is left as it is.
 */
export function withMissingRight(requestCode: number, response: RemotingCommand): RemotingCommand {
  const action = requiredAction(requestCode);
  if (
    response.code !== ResponseCode.NO_PERMISSION ||
    !action ||
    !/no permission/i.test(response.remark ?? '')
  )
    return response;
  response.remark = `${response.remark!.trim()} (needs the ${action} right)`;
  return response;
}
