import { createHmac } from 'node:crypto';

export interface Credentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

/**
 * Adds AccessKey (and SecurityToken) and the Signature to a request's extFields (spec §9.1):
 * HmacSHA1, keyed by the secret, over the values of every other extField sorted by key, then the
 * body. It must run last: any field added afterwards breaks the signature.
 */
export function signRequest(
  extFields: Record<string, string>,
  body: Buffer | undefined,
  creds: Credentials,
): void {
  extFields.AccessKey = creds.accessKey;
  if (creds.securityToken) extFields.SecurityToken = creds.securityToken;
  delete extFields.Signature;
  const hmac = createHmac('sha1', Buffer.from(creds.secretKey, 'utf8'));
  // JS string order is UTF-16 code-unit order, the same as Java's String.compareTo.
  for (const key of Object.keys(extFields).sort()) hmac.update(extFields[key]!, 'utf8');
  if (body && body.length > 0) hmac.update(body);
  extFields.Signature = hmac.digest('base64');
}
