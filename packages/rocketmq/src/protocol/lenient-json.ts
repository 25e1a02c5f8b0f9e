import { RocketMQError } from '../errors.ts';

/**
 * Parses the JSON a RocketMQ server writes with fastjson defaults, which is not always JSON:
 * maps keyed by numbers come out with bare keys, `{0:"127.0.0.1:10911"}` (spec §5.2). A
 * string-aware pass quotes such keys, then `JSON.parse` does the rest; no `eval`, and a `:`
 * inside a string (every broker address has one) is never touched.
 */
export function parseLenientJson<T = unknown>(text: string): T {
  try {
    return JSON.parse(quoteNumericKeys(text)) as T;
  } catch (err) {
    throw new RocketMQError('PROTOCOL_ERROR', 'malformed JSON body from the server', { cause: err });
  }
}

export function quoteNumericKeys(text: string): string {
  let out = '';
  let i = 0;
  let copiedTo = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i);
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x2c /* , */) {
      let j = i + 1;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const start = j;
      if (text.charCodeAt(j) === 0x2d /* - */) j++;
      const digitsFrom = j;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (j > digitsFrom) {
        const end = j;
        while (j < n && isSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 0x3a /* : */) {
          out += `${text.slice(copiedTo, start)}"${text.slice(start, end)}"`;
          copiedTo = end;
          i = end;
          continue;
        }
      }
    }
    i++;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

function skipString(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
