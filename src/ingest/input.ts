/**
 * Opens a transaction export (a file or stdin, optionally gzipped) and streams its records as raw
 * items: CSV rows as cells, NDJSON and JSON-array records as objects, malformed records as error
 * items with a code and a line. The bytes are hashed as they stream, so a file is read once.
 */
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { AmlError } from '../errors.js';
import { readCsv } from './csv.js';
import { readJsonArray } from './json-array.js';
import { readNdjson } from './ndjson.js';

export type InputFormat = 'csv' | 'ndjson' | 'json';
export interface InputSpec {
  /** '-' means standard input. */
  path: string;
  format?: InputFormat;
}
export type RawItem =
  /** A CSV data row; `line` is the 1-based line where the row starts. */
  | { kind: 'cells'; line: number; cells: string[] }
  /** NDJSON: the line of the record. JSON array: line is the 1-based element index, pointer '/<index>'. */
  | { kind: 'object'; line: number; pointer?: string; value: unknown }
  | { kind: 'error'; line: number; pointer?: string; code: string; message: string; raw?: string };
export interface Input {
  path: string;
  format: InputFormat;
  gzip: boolean;
  /** CSV: the header row (BOM stripped, cells trimmed); undefined for the JSON formats. */
  header: string[] | undefined;
  /** Batches of items in file order, one batch per slice of text parsed (about 32 KiB); iterate once. */
  items: AsyncIterable<RawItem[]>;
  /** sha256 (hex) and size of the bytes as stored (compressed if gzipped); valid once items is exhausted. */
  digest(): { sha256: string; bytes: number };
}

const CHUNK_BYTES = 1024 * 1024;
/**
 * Text is decoded and parsed in slices of this size. Smaller strings stay in V8's young generation
 * (a string over 128 KiB is born old), which made 1 MiB slices about 1.5x slower end to end through
 * garbage collection; it also bounds what a retained cell (a slice of its chunk) keeps alive.
 */
const TEXT_SLICE_BYTES = 32 * 1024;
const FORMATS: readonly InputFormat[] = ['csv', 'ndjson', 'json'];
const EXTENSIONS: Record<string, InputFormat> = { csv: 'csv', ndjson: 'ndjson', jsonl: 'ndjson', json: 'json' };

export function detectFormat(path: string, override?: InputFormat): InputFormat {
  if (override !== undefined) {
    if (!FORMATS.includes(override)) throw new AmlError('usage', `unknown input format '${String(override)}'; use csv, ndjson or json`);
    return override;
  }
  if (path === '-') throw new AmlError('usage', 'reading standard input needs --input-format csv|ndjson|json');
  const match = /\.([a-z]+)(?:\.gz)?$/i.exec(path);
  const format = match ? EXTENSIONS[match[1]!.toLowerCase()] : undefined;
  if (format === undefined) {
    throw new AmlError('usage', `cannot tell the format of ${path} from its extension (.csv, .ndjson, .jsonl, .json, optionally .gz); use --input-format`);
  }
  return format;
}

export async function openInput(spec: InputSpec): Promise<Input> {
  const { path } = spec;
  const format = detectFormat(path, spec.format);
  const source = await openSource(path);
  try {
    const gzip = isGzip(await source.peek(2));
    const text = decodeText(gzip ? gunzip(source.chunks()) : source.chunks());
    const { header, batches } = await startReading(format, text, path);
    return { path, format, gzip, header, items: finish(batches, source, path), digest: () => source.digest() };
  } catch (err) {
    source.close();
    throw asInputError(err, path);
  }
}

interface Started {
  header: string[] | undefined;
  batches: AsyncGenerator<RawItem[]>;
}

async function startReading(format: InputFormat, text: AsyncGenerator<string>, path: string): Promise<Started> {
  if (format === 'ndjson') return { header: undefined, batches: readNdjson(text) };
  if (format === 'json') return { header: undefined, batches: readJsonArray(text) };
  return splitHeader(readCsv(text), path);
}

/** Reads rows up to the header, which must be known before openInput resolves. */
async function splitHeader(rows: AsyncGenerator<RawItem[]>, path: string): Promise<Started> {
  for (;;) {
    const next = await rows.next();
    if (next.done) throw new AmlError('input', `${path}: the CSV file has no header row`);
    const [first, ...others] = next.value;
    if (first === undefined) continue;
    if (first.kind !== 'cells') {
      await rows.return(undefined);
      const reason = first.kind === 'error' ? first.message : 'not a row';
      throw new AmlError('input', `${path}:${first.line}: bad CSV header row: ${reason}`);
    }
    return { header: first.cells.map((cell) => cell.trim()), batches: prepend(others, rows) };
  }
}

async function* prepend(first: RawItem[], rest: AsyncGenerator<RawItem[]>): AsyncGenerator<RawItem[]> {
  if (first.length > 0) yield first;
  yield* rest;
}

/** Drains what the parser left unread (after a fatal JSON error) so the digest covers the whole file. */
async function* finish(batches: AsyncIterable<RawItem[]>, source: ByteSource, path: string): AsyncGenerator<RawItem[]> {
  try {
    yield* batches;
    await source.drain();
  } catch (err) {
    throw asInputError(err, path);
  } finally {
    source.close();
  }
}

function asInputError(err: unknown, path: string): AmlError {
  if (err instanceof AmlError) return err;
  return new AmlError('input', `cannot read ${path}: ${osReason(err)}`);
}

/** "ENOENT: no such file or directory, open 'x'" -> "no such file or directory (ENOENT)". */
function osReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const message = String(e?.message ?? err);
  if (typeof e?.code !== 'string') return message;
  const match = /^[A-Z0-9_]+: ([^,]+)/.exec(message);
  return `${match ? match[1] : message} (${e.code})`;
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

async function* gunzip(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const inflater = createGunzip({ chunkSize: CHUNK_BYTES });
  const feeding = pipeline(Readable.from(chunks), inflater);
  feeding.catch(() => {}); // its failure also surfaces through the loop below
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
    await feeding;
  } finally {
    inflater.destroy();
    // Wait until the feeding side has let go of the byte source, so that drain() is its only reader.
    await feeding.catch(() => {});
  }
}

/** UTF-8 decoding that keeps characters split across chunks whole, and drops a leading BOM. */
async function* decodeText(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let atStart = true;
  const strip = (text: string): string => {
    if (!atStart || text.length === 0) return text;
    atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i += TEXT_SLICE_BYTES) {
      const text = strip(decoder.write(chunk.subarray(i, i + TEXT_SLICE_BYTES)));
      if (text.length > 0) yield text;
    }
  }
  const text = strip(decoder.end());
  if (text.length > 0) yield text;
}

async function openSource(path: string): Promise<ByteSource> {
  if (path === '-') return new ByteSource(process.stdin, false);
  try {
    const handle = await open(path, 'r');
    return new ByteSource(handle.createReadStream({ highWaterMark: CHUNK_BYTES }), true);
  } catch (err) {
    throw new AmlError('input', `cannot open ${path}: ${osReason(err)}`);
  }
}

/** The bytes as stored, hashed and counted as they pass; peeked bytes are handed out again. */
class ByteSource {
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly hash: Hash = createHash('sha256');
  private readonly peeked: Buffer[] = [];
  private bytes = 0;
  private done = false;
  private result: { sha256: string; bytes: number } | undefined;

  constructor(private readonly stream: Readable, private readonly owned: boolean) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  async peek(size: number): Promise<Buffer> {
    let have = this.peeked.reduce((n, b) => n + b.length, 0);
    while (have < size && !this.done) {
      const chunk = await this.read();
      if (chunk !== undefined) this.peeked.push(chunk);
      have += chunk?.length ?? 0;
    }
    return Buffer.concat(this.peeked).subarray(0, size);
  }

  async *chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = this.peeked.shift() ?? (await this.read());
      if (chunk === undefined) return;
      yield chunk;
    }
  }

  async drain(): Promise<void> {
    this.peeked.length = 0;
    while ((await this.read()) !== undefined);
  }

  digest(): { sha256: string; bytes: number } {
    if (!this.done) throw new Error('Input.digest() is only valid once items has been read to the end');
    this.result ??= { sha256: this.hash.digest('hex'), bytes: this.bytes };
    return this.result;
  }

  close(): void {
    // Standard input belongs to the process; only files we opened are closed here.
    if (this.owned) this.stream.destroy();
  }

  private async read(): Promise<Buffer | undefined> {
    if (this.done) return undefined;
    const next = await this.iterator.next();
    if (next.done) {
      this.done = true;
      return undefined;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    return chunk;
  }
}
