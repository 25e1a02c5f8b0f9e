import { TestkitError } from './errors.ts';
import { type Credentials, mqadmin } from './mqadmin.ts';
import type { ConfigValue } from './properties.ts';
import { CLUSTER_NAME } from './rocketmq-config.ts';

// RocketMQ 5.5's ACL 2.0 as the kit sets it up: an admin (super) user that also signs the
// broker's own calls, and a limited account made with RocketMQ's own mqadmin.

export interface RocketMQAcl {
  /** A super user: every action on every resource. */
  admin: Credentials;
  /** A normal user allowed only to publish to and subscribe from `topic`, in `group`. */
  limited: Credentials & { topic: string; group: string };
}

export const DEFAULT_ACL: RocketMQAcl = {
  admin: { accessKey: 'rocketmq', secretKey: '12345678' },
  limited: {
    accessKey: 'limited',
    secretKey: 'limited-secret',
    topic: 'limited-topic',
    group: 'limited-group',
  },
};

export function aclConfig(acl: RocketMQAcl): Record<string, ConfigValue> {
  return {
    authenticationEnabled: true,
    authenticationProvider: 'org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider',
    authenticationMetadataProvider:
      'org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider',
    authorizationEnabled: true,
    authorizationProvider: 'org.apache.rocketmq.auth.authorization.provider.DefaultAuthorizationProvider',
    authorizationMetadataProvider:
      'org.apache.rocketmq.auth.authorization.provider.LocalAuthorizationMetadataProvider',
    initAuthenticationUser: JSON.stringify({ username: acl.admin.accessKey, password: acl.admin.secretKey }),
    innerClientAuthenticationCredentials: JSON.stringify({
      accessKey: acl.admin.accessKey,
      secretKey: acl.admin.secretKey,
    }),
  };
}

/** The limited account: publish, subscribe and read offsets on one topic, in one group. */
export async function createLimitedAccount(
  cluster: Parameters<typeof mqadmin>[0],
  acl: RocketMQAcl,
): Promise<void> {
  const { admin, limited } = acl;
  const allow = (resource: string, actions: string) => [
    'createAcl',
    '-c',
    CLUSTER_NAME,
    '-s',
    `User:${limited.accessKey}`,
    '-r',
    resource,
    '-a',
    actions,
    '-d',
    'Allow',
  ];
  // Two rounds of two: each mqadmin is a JVM start (~5 s), and only the rights need the user.
  const rounds = [
    [
      ['updateTopic', '-c', CLUSTER_NAME, '-t', limited.topic, '-r', '4', '-w', '4'],
      ['createUser', '-c', CLUSTER_NAME, '-u', limited.accessKey, '-p', limited.secretKey, '-t', 'Normal'],
    ],
    // One call for both resources: two at once would race on the user's one policy list.
    // Get: a consumer reads the queues' min/max offsets before it pulls; Pub on a group is moot.
    [allow(`Topic:${limited.topic},Group:${limited.group}`, 'Pub,Sub,Get')],
  ];
  for (const round of rounds)
    await Promise.all(
      round.map(async (args) => {
        const out = await mqadmin(cluster, args, { credentials: admin });
        if (!/success/i.test(out))
          throw new TestkitError(`setting up the ACL account failed at ${args[0]}:\n${out}`);
      }),
    );
}
