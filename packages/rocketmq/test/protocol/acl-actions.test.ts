import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requiredAction, withMissingRight } from '../../src/protocol/acl-actions.ts';
import { RequestCode, ResponseCode } from '../../src/protocol/codes.ts';
import type { RemotingCommand } from '../../src/protocol/command.ts';

const refusal = (remark: string): RemotingCommand => ({
  code: ResponseCode.NO_PERMISSION,
  language: 'JAVA',
  version: 0,
  opaque: 1,
  flag: 1,
  remark,
  extFields: {},
});

test('a refused request says which right it needed', () => {
  const r = withMissingRight(
    RequestCode.SEND_MESSAGE_V2,
    refusal('User:limited has no permission to access Topic:t from 127.0.0.1, no matched policies.'),
  );
  assert.equal(
    r.remark,
    'User:limited has no permission to access Topic:t from 127.0.0.1, no matched policies. (needs the Pub right)',
  );
  assert.equal(requiredAction(RequestCode.HEART_BEAT), 'Sub');
  assert.equal(requiredAction(RequestCode.GET_MAX_OFFSET), 'Get');
  assert.equal(requiredAction(RequestCode.UPDATE_AND_CREATE_TOPIC), 'Create');
});

test('a refused signature, another code, or an unknown request stays as it was', () => {
  assert.equal(
    withMissingRight(RequestCode.SEND_MESSAGE, refusal('check signature failed')).remark,
    'check signature failed',
  );
  const other = { ...refusal('no permission'), code: ResponseCode.SYSTEM_ERROR };
  assert.equal(withMissingRight(RequestCode.SEND_MESSAGE, other).remark, 'no permission');
  assert.equal(withMissingRight(9999, refusal('has no permission')).remark, 'has no permission');
});
