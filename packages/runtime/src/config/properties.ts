/**
 * Java `.properties` parsing, with one deliberate extension: a `#` that follows whitespace after
 * a value starts a comment. The seed's own `connect.conf` writes `httpPort=8082 #rest地址`;
 * in plain Java that value would be `8082 #rest地址` and fail as a port. Write `\#` for a
 * literal `#` after whitespace.
 */
export interface PropertyEntry {
  key: string;
  value: string;
  line: number;
}

export class PropertiesSyntaxError extends Error {
  override name = 'PropertiesSyntaxError';
}

// Marks an escaped '#' while comments are stripped; U+E000 is a private-use character no real
// config contains.
const ESCAPED_HASH = '\ue000';

/**
 * `java`: plain Java semantics (no trailing comments, trailing blanks kept), for files that hold
 * values verbatim, such as the secrets a `${file:…}` reference reads.
 */
export function parseProperties(text: string, opts: { java?: boolean } = {}): PropertyEntry[] {
  const entries: PropertyEntry[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = lines[i]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    // A line ending in an odd number of backslashes continues on the next line.
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    const { key, rest } = splitKey(logical);
    const value = unescapeJava(
      opts.java
        ? rest.replace(/\\#/g, ESCAPED_HASH)
        : stripTrailingComment(rest.replace(/\\#/g, ESCAPED_HASH)),
      startLine,
    ).replaceAll(ESCAPED_HASH, '#');
    entries.push({ key: unescapeJava(key, startLine), value, line: startLine });
  }
  return entries;
}

function splitKey(line: string): { key: string; rest: string } {
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    i++;
  }
  const key = line.slice(0, i);
  let rest = line.slice(i).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return { key, rest };
}

function stripTrailingComment(value: string): string {
  const m = /[ \t\f]+#/.exec(value);
  return (m ? value.slice(0, m.index) : value).replace(/[ \t\f]+$/, '');
}

function unescapeJava(s: string, line: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    if (n === 't') out += '\t';
    else if (n === 'n') out += '\n';
    else if (n === 'r') out += '\r';
    else if (n === 'f') out += '\f';
    else if (n === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesSyntaxError(`line ${line}: bad \\u escape`);
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else out += n;
  }
  return out;
}
