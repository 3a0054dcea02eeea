/**
 * Streaming NDJSON / JSON Lines parser: one JSON object per line, blank lines skipped but counted.
 * A bad line becomes an error item and parsing goes on with the next one.
 */
import { ChunkParser, parseChunks } from './chunk-parser.js';
import type { RawItem } from './input.js';

const CR = 13;

/** Longer lines are reported and skipped, so a file without newlines cannot grow memory without bound. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;
const RAW_LIMIT = 200;

export class NdjsonParser extends ChunkParser {
  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {
    super();
  }

  protected scan(buf: string, eof: boolean, out: RawItem[]): number {
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      let nl = buf.indexOf('\n', pos);
      if (nl === -1) {
        if (!eof) return this.holdPartial(buf, pos, out);
        nl = len;
      }
      if (this.skipping) this.skipping = false;
      else this.record(buf, pos, nl, out);
      this.line++;
      pos = nl + 1;
    }
    return Math.min(pos, len);
  }

  private record(buf: string, start: number, end: number, out: RawItem[]): void {
    if (end > start && buf.charCodeAt(end - 1) === CR) end--;
    const text = buf.slice(start, end);
    if (!isBlank(text)) out.push(parseRecord(text, this.line));
  }

  private holdPartial(buf: string, start: number, out: RawItem[]): number {
    if (this.skipping || buf.length - start > this.maxLineChars) {
      if (!this.skipping) {
        const message = `line is longer than ${this.maxLineChars} characters; skipped`;
        out.push({ kind: 'error', line: this.line, code: 'json-too-long', message, raw: buf.slice(start, start + RAW_LIMIT) });
      }
      this.skipping = true;
      return buf.length;
    }
    return start;
  }
}

function isBlank(text: string): boolean {
  // Records start with '{'; only a line starting with whitespace can be blank.
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0);
}

export function parseRecord(text: string, line: number): RawItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = `invalid JSON: ${(err as Error).message}`;
    return { kind: 'error', line, code: 'json-syntax', message, raw: text.slice(0, RAW_LIMIT) };
  }
  if (isObject(value)) return { kind: 'object', line, value };
  const message = `expected a JSON object, found ${describeJson(value)}`;
  return { kind: 'error', line, code: 'json-not-object', message, raw: text.slice(0, RAW_LIMIT) };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function readNdjson(texts: AsyncIterable<string>, parser = new NdjsonParser()): AsyncGenerator<RawItem[]> {
  return parseChunks(texts, parser);
}
