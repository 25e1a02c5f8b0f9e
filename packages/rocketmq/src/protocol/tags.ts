/** Java's String.hashCode: the broker filters TAG subscriptions by it (spec §6.5). */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

export interface TagFilter {
  /** The expression as given, `*` for everything. */
  subString: string;
  tags: string[];
  codes: number[];
}

/** Parses a tag expression, `TagA || TagB` or `*` (Java's FilterAPI.buildSubscriptionData). */
export function parseTagExpression(expression: string | undefined): TagFilter {
  const expr = expression?.trim() ?? '';
  if (expr === '' || expr === '*') return { subString: '*', tags: [], codes: [] };
  const tags = expr
    .split('||')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  return { subString: expr, tags, codes: tags.map(javaHashCode) };
}

/** Whether a message with `tag` passes the filter (the exact check after the broker's hash check). */
export function tagMatches(filter: TagFilter, tag: string | undefined): boolean {
  if (filter.tags.length === 0) return true;
  return tag !== undefined && filter.tags.includes(tag);
}
