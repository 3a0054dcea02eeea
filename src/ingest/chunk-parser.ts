/**
 * What the CSV and NDJSON parsers share: text arrives in chunks, complete records are parsed out, and
 * the unfinished end of a chunk waits for the next one.
 */
import type { RawItem } from './input.js';

export abstract class ChunkParser {
  private tail = '';
  /** 1-based line number of the first character not yet consumed. */
  protected line = 1;
  /** Discarding up to the next line feed after a bad or too long record. */
  protected skipping = false;

  push(text: string): RawItem[] {
    const out: RawItem[] = [];
    const buf = this.tail.length > 0 ? this.tail + text : text;
    this.tail = buf.slice(this.scan(buf, false, out));
    return out;
  }

  end(): RawItem[] {
    const out: RawItem[] = [];
    this.scan(this.tail, true, out);
    this.tail = '';
    return out;
  }

  /** Parses the complete records of `buf` into `out`; returns where the unconsumed rest starts. */
  protected abstract scan(buf: string, eof: boolean, out: RawItem[]): number;
}

export async function* parseChunks(texts: AsyncIterable<string>, parser: ChunkParser): AsyncGenerator<RawItem[]> {
  for await (const text of texts) {
    const items = parser.push(text);
    if (items.length > 0) yield items;
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}
