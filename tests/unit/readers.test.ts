import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmlError } from '../../src/errors.js';
import { CsvParser } from '../../src/ingest/csv.js';
import { detectFormat, openInput, type Input, type InputFormat, type RawItem } from '../../src/ingest/input.js';
import { NdjsonParser } from '../../src/ingest/ndjson.js';

let dir: string;
let counter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amlscreen-readers-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fileWith(name: string, content: string | Buffer): string {
  const path = join(dir, `${++counter}-${name}`);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string, format?: InputFormat): Promise<{ input: Input; items: RawItem[]; batches: number }> {
  const input = await openInput(format === undefined ? { path } : { path, format });
  const items: RawItem[] = [];
  let batches = 0;
  for await (const batch of input.items) {
    batches++;
    items.push(...batch);
  }
  return { input, items, batches };
}

async function readCsvText(text: string): Promise<{ header: string[] | undefined; items: RawItem[] }> {
  const { input, items } = await readAll(fileWith('t.csv', text));
  return { header: input.header, items };
}

const rows = (...pairs: Array<[number, string[]]>): RawItem[] => pairs.map(([line, cells]) => ({ kind: 'cells', line, cells }));

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function rejection(promise: Promise<unknown>): Promise<AmlError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AmlError);
  return err as AmlError;
}

describe('detectFormat', () => {
  it('chooses the format by extension, with or without .gz', () => {
    expect(detectFormat('a/b/tx.csv')).toBe('csv');
    expect(detectFormat('TX.CSV.GZ')).toBe('csv');
    expect(detectFormat('tx.ndjson')).toBe('ndjson');
    expect(detectFormat('tx.jsonl.gz')).toBe('ndjson');
    expect(detectFormat('tx.json')).toBe('json');
    expect(detectFormat('tx.json.gz')).toBe('json');
  });

  it('lets an override win over the extension', () => {
    expect(detectFormat('tx.csv', 'ndjson')).toBe('ndjson');
    expect(detectFormat('export.txt', 'csv')).toBe('csv');
    expect(detectFormat('-', 'json')).toBe('json');
  });

  it('refuses unknown extensions and stdin without an override as usage errors', () => {
    for (const path of ['tx.txt', 'tx', 'tx.gz', '-']) {
      expect(() => detectFormat(path)).toThrow(AmlError);
      try {
        detectFormat(path);
      } catch (err) {
        expect((err as AmlError).kind).toBe('usage');
      }
    }
    expect(() => detectFormat('-')).toThrow('reading standard input needs --input-format csv|ndjson|json');
  });
});

describe('CSV', () => {
  it('reads the header and rows with 1-based line numbers', async () => {
    const { header, items } = await readCsvText('a,b,c\n1,2,3\n4,5,6\n');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(items).toEqual(rows([2, ['1', '2', '3']], [3, ['4', '5', '6']]));
  });

  it('handles CRLF line endings', async () => {
    const { header, items } = await readCsvText('a,b\r\n1,2\r\n3,4\r\n');
    expect(header).toEqual(['a', 'b']);
    expect(items).toEqual(rows([2, ['1', '2']], [3, ['3', '4']]));
  });

  it('strips a UTF-8 BOM and trims header cells', async () => {
    const { header, items } = await readCsvText('\uFEFF a ,b , c\n1,2,3\n');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(items).toEqual(rows([2, ['1', '2', '3']]));
  });

  it('skips empty lines but counts them', async () => {
    const { header, items } = await readCsvText('\na,b\n\n1,2\n\r\n\n3,4\n\n');
    expect(header).toEqual(['a', 'b']);
    expect(items).toEqual(rows([4, ['1', '2']], [7, ['3', '4']]));
  });

  it('reads a last line without a newline', async () => {
    expect((await readCsvText('a,b\n1,2')).items).toEqual(rows([2, ['1', '2']]));
    expect((await readCsvText('a,b\r\n1,2\r\n3,"x"')).items).toEqual(rows([2, ['1', '2']], [3, ['3', 'x']]));
  });

  it('reads quoted fields with commas, doubled quotes and empty values', async () => {
    const { items } = await readCsvText('a,b,c,d\n"x,y","he said ""hi""","",plain\n"""",",",,""""""\n');
    expect(items).toEqual(rows([2, ['x,y', 'he said "hi"', '', 'plain']], [3, ['"', ',', '', '""']]));
  });

  it('keeps newlines inside quotes and counts them for the next row', async () => {
    const text = 'id,memo\n1,"line one\nline two\nline three"\n2,after\n"3\n",x\n4,y\n';
    expect((await readCsvText(text)).items).toEqual(
      rows([2, ['1', 'line one\nline two\nline three']], [5, ['2', 'after']], [6, ['3\n', 'x']], [8, ['4', 'y']]),
    );
  });

  it('keeps CR LF inside quotes as-is', async () => {
    const text = 'id,memo\r\n1,"a\r\nb"\r\n2,c\r\n';
    expect((await readCsvText(text)).items).toEqual(rows([2, ['1', 'a\r\nb']], [4, ['2', 'c']]));
  });

  it('returns short and long rows as they are, including trailing empty fields', async () => {
    const { items } = await readCsvText('a,b,c\n1\n1,2,3,4\n1,2,\n"1",\n');
    expect(items).toEqual(rows([2, ['1']], [3, ['1', '2', '3', '4']], [4, ['1', '2', '']], [5, ['1', '']]));
  });

  it('keeps a quote inside an unquoted field as a literal character', async () => {
    const { items } = await readCsvText('a,b\nab"c,d\nx,5"\n');
    expect(items).toEqual(rows([2, ['ab"c', 'd']], [3, ['x', '5"']]));
  });

  it('reports an unterminated quote at end of file and resumes on the next line', async () => {
    const { items } = await readCsvText('a,b,c\n0,0,0\n1,2,"abc\n3,4,5\n');
    expect(items).toEqual([
      ...rows([2, ['0', '0', '0']]),
      { kind: 'error', line: 3, code: 'csv-quote', message: 'unterminated quoted field starting at column 3', raw: '1,2,"abc' },
      ...rows([4, ['3', '4', '5']]),
    ]);
  });

  it('reports a character after a closing quote and reads on from the next physical line', async () => {
    const { items } = await readCsvText('a,b\n"ab"c,d\n1,2\nx,"multi\nline" y\n3,4\n');
    expect(items).toEqual([
      { kind: 'error', line: 2, code: 'csv-quote', message: 'unexpected character "c" after the closing quote of column 1', raw: '"ab"c,d' },
      ...rows([3, ['1', '2']]),
      { kind: 'error', line: 4, code: 'csv-quote', message: 'unexpected character " " after the closing quote of column 2', raw: 'x,"multi' },
      ...rows([5, ['line" y']], [6, ['3', '4']]),
    ]);
  });

  it('does not let an unterminated quote swallow the rows after it', async () => {
    const { items } = await readCsvText('a,b\n1,"broken\n2,x\n3,y\n');
    expect(items).toEqual([
      { kind: 'error', line: 2, code: 'csv-quote', message: 'unterminated quoted field starting at column 2', raw: '1,"broken' },
      ...rows([3, ['2', 'x']], [4, ['3', 'y']]),
    ]);
  });

  it('reads a quoted header', async () => {
    const { header, items } = await readCsvText('"a","b ""x""","c\nd"\n1,2,3\n');
    expect(header).toEqual(['a', 'b "x"', 'c\nd']);
    expect(items).toEqual(rows([3, ['1', '2', '3']]));
  });

  it('rejects a file without a header row', async () => {
    for (const text of ['', '\n\r\n\n', '\uFEFF']) {
      const err = await rejection(openInput({ path: fileWith('empty.csv', text) }));
      expect(err.kind).toBe('input');
      expect(err.message).toContain('no header row');
    }
  });

  it('rejects a malformed header row', async () => {
    const err = await rejection(openInput({ path: fileWith('bad.csv', 'a,"b\n1,2\n') }));
    expect(err.kind).toBe('input');
    expect(err.message).toContain(':1: bad CSV header row: unterminated quoted field starting at column 2');
  });
});

describe('CsvParser chunk boundaries', () => {
  const sample =
    'h1,h2,h3\r\n1,"a,b","c""d"\r\n\r\n2,"multi\r\nline\nfield",x\n"3","""",""\n4,Peñasco 東京 😀,"ü"\r\n' +
    '5,"bad"x,6\n7,8,9\r\n"10",11,12';

  function parseInPieces(pieces: string[], max?: number): RawItem[] {
    const parser = new CsvParser(max);
    const out = pieces.flatMap((piece) => parser.push(piece));
    return [...out, ...parser.end()];
  }

  it('gives the same items for every way of splitting the text in two or three', () => {
    const whole = parseInPieces([sample]);
    expect(whole.filter((item) => item.kind === 'cells')).toHaveLength(7);
    expect(whole.filter((item) => item.kind === 'error')).toHaveLength(1);
    for (let i = 0; i <= sample.length; i++) {
      expect(parseInPieces([sample.slice(0, i), sample.slice(i)])).toEqual(whole);
      for (let j = i; j <= sample.length; j += 7) {
        expect(parseInPieces([sample.slice(0, i), sample.slice(i, j), sample.slice(j)])).toEqual(whole);
      }
    }
  });

  it('gives the same items when fed one character at a time', () => {
    expect(parseInPieces([...sample])).toEqual(parseInPieces([sample]));
  });

  it('bounds an unterminated quote that never closes and resumes after its line', () => {
    const text = 'a,b\n1,"open\n' + 'x,y\n'.repeat(50) + '2,3\n';
    const pieces = text.match(/[\s\S]{1,16}/g) ?? [];
    const items = parseInPieces(pieces, 64);
    expect(items[1]).toMatchObject({ kind: 'error', line: 2, code: 'csv-quote' });
    expect((items[1] as { message: string }).message).toContain('quoted field starting at column 2 is not closed within 64 characters');
    expect(items[2]).toEqual({ kind: 'cells', line: 3, cells: ['x', 'y'] });
    expect(items.at(-1)).toEqual({ kind: 'cells', line: 53, cells: ['2', '3'] });
  });

  it('skips a line longer than the limit without holding it in memory', () => {
    const parser = new CsvParser(100);
    const items = [...parser.push('a,b\n' + 'x'.repeat(150)), ...parser.push('y'.repeat(500)), ...parser.push('z\n1,2\n'), ...parser.end()];
    expect(items).toMatchObject([
      { kind: 'cells', line: 1, cells: ['a', 'b'] },
      { kind: 'error', line: 2, code: 'csv-too-long' },
      { kind: 'cells', line: 3, cells: ['1', '2'] },
    ]);
  });
});

/** A deterministic generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function csvField(value: string, forceQuotes: boolean): string {
  return forceQuotes || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** 200k rows with quoted multi-line fields, multi-byte text and mixed line endings, plus a reference. */
function bigCsv(): { text: string; expected: RawItem[] } {
  const next = random(42);
  const words = ['Peñasco', 'Zürich', '東京', 'emoji 😀', 'plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', ''];
  const parts = ['id,name,memo,amount\n'];
  const expected: RawItem[] = [];
  let line = 2;
  for (let i = 0; i < 200_000; i++) {
    if (next() < 0.02) {
      parts.push(next() < 0.5 ? '\n' : '\r\n');
      line++;
    }
    const memo = i % 5000 === 17 ? 'x\n'.repeat(40_000) + 'ñ"end' : words[Math.floor(next() * words.length)]! + ' ' + i;
    const cells = [String(i), words[Math.floor(next() * words.length)]!, memo, (next() * 1e6).toFixed(2)];
    parts.push(cells.map((cell) => csvField(cell, next() < 0.1)).join(',') + (next() < 0.3 ? '\r\n' : '\n'));
    expected.push({ kind: 'cells', line, cells });
    line += 1 + cells.join('').split('\n').length - 1;
  }
  return { text: parts.join(''), expected };
}

describe('large files', () => {
  let big: { text: string; expected: RawItem[] };
  beforeAll(() => {
    big = bigCsv();
  });

  it('reads every row of a file spanning many chunks, with exact cells and lines', async () => {
    const bytes = Buffer.from(big.text, 'utf8');
    expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024);
    const { input, items, batches } = await readAll(fileWith('big.csv', bytes));
    expect(input.header).toEqual(['id', 'name', 'memo', 'amount']);
    expect(batches).toBeGreaterThan(100);
    expect(items.length).toBe(big.expected.length);
    for (let i = 0; i < items.length; i++) {
      if (items[i]!.line !== big.expected[i]!.line) expect(items[i]).toEqual(big.expected[i]);
    }
    expect(items).toEqual(big.expected);
    expect(input.digest()).toEqual({ sha256: sha256(bytes), bytes: bytes.length });
  });

  it('reads the same rows from the gzipped file and hashes the compressed bytes', async () => {
    const compressed = gzipSync(Buffer.from(big.text, 'utf8'));
    const { input, items } = await readAll(fileWith('big.csv.gz', compressed));
    expect(input.gzip).toBe(true);
    expect(items).toEqual(big.expected);
    expect(input.digest()).toEqual({ sha256: sha256(compressed), bytes: compressed.length });
  });
});

describe('gzip', () => {
  it('decompresses .csv.gz and reports the digest of the stored bytes', async () => {
    const compressed = gzipSync('a,b\n1,Peñasco\n');
    const { input, items } = await readAll(fileWith('small.csv.gz', compressed));
    expect(input).toMatchObject({ format: 'csv', gzip: true, header: ['a', 'b'] });
    expect(items).toEqual(rows([2, ['1', 'Peñasco']]));
    expect(input.digest()).toEqual({ sha256: sha256(compressed), bytes: compressed.length });
  });

  it('decompresses .ndjson.gz', async () => {
    const compressed = gzipSync('{"a":1}\n\n{"b":"ñ"}\n');
    const { input, items } = await readAll(fileWith('small.ndjson.gz', compressed));
    expect(input).toMatchObject({ format: 'ndjson', gzip: true, header: undefined });
    expect(items).toEqual([
      { kind: 'object', line: 1, value: { a: 1 } },
      { kind: 'object', line: 3, value: { b: 'ñ' } },
    ]);
    expect(input.digest()).toEqual({ sha256: sha256(compressed), bytes: compressed.length });
  });

  it('detects gzip by its magic bytes, not by the name', async () => {
    const zipped = await readAll(fileWith('really-zipped.csv', gzipSync('a\n1\n')));
    expect(zipped.input.gzip).toBe(true);
    expect(zipped.items).toEqual(rows([2, ['1']]));
    const plain = await readAll(fileWith('not-zipped.csv.gz', 'a\n1\n'));
    expect(plain.input.gzip).toBe(false);
    expect(plain.items).toEqual(rows([2, ['1']]));
  });

  it('fails with an input error on truncated gzip data', async () => {
    const compressed = gzipSync('a,b\n' + '1,2\n'.repeat(10000));
    const input = await openInput({ path: fileWith('cut.csv.gz', compressed.subarray(0, compressed.length - 20)) });
    const err = await rejection((async () => {
      for await (const batch of input.items) void batch;
    })());
    expect(err.kind).toBe('input');
  });
});

describe('NDJSON', () => {
  it('reads one object per line, skipping blank lines, with CRLF and a BOM', async () => {
    const { input, items } = await readAll(fileWith('a.ndjson', '\uFEFF{"a":1}\r\n\r\n  \n{"b":[1,2]}\n{"c":"x"}'));
    expect(input).toMatchObject({ format: 'ndjson', gzip: false, header: undefined });
    expect(items).toEqual([
      { kind: 'object', line: 1, value: { a: 1 } },
      { kind: 'object', line: 4, value: { b: [1, 2] } },
      { kind: 'object', line: 5, value: { c: 'x' } },
    ]);
  });

  it('reports bad lines with their line numbers and goes on', async () => {
    const long = `{"x":"${'y'.repeat(300)}"`;
    const { items } = await readAll(fileWith('b.jsonl', `{"a":1}\n{bad\n\n[1,2]\n42\nnull\n${long}\n{"z":2}\n`));
    expect(items.map((item) => [item.kind, item.line, item.kind === 'error' ? item.code : ''])).toEqual([
      ['object', 1, ''],
      ['error', 2, 'json-syntax'],
      ['error', 4, 'json-not-object'],
      ['error', 5, 'json-not-object'],
      ['error', 6, 'json-not-object'],
      ['error', 7, 'json-syntax'],
      ['object', 8, ''],
    ]);
    expect(items[1]).toMatchObject({ raw: '{bad', message: expect.stringContaining('invalid JSON') });
    expect(items[2]).toMatchObject({ raw: '[1,2]', message: 'expected a JSON object, found an array' });
    expect(items[4]).toMatchObject({ message: 'expected a JSON object, found null' });
    expect((items[5] as { raw: string }).raw).toBe(long.slice(0, 200));
  });

  it('gives the same items for every way of splitting the text in two', () => {
    const text = '{"a":"ñ"}\r\n\n{bad\r\n{"b":2}';
    const single = new NdjsonParser();
    const whole = [...single.push(text), ...single.end()];
    expect(whole.map((item) => [item.kind, item.line])).toEqual([['object', 1], ['error', 3], ['object', 4]]);
    for (let i = 0; i <= text.length; i++) {
      const parser = new NdjsonParser();
      expect([...parser.push(text.slice(0, i)), ...parser.push(text.slice(i)), ...parser.end()]).toEqual(whole);
    }
  });

  it('skips a line longer than the limit', () => {
    const parser = new NdjsonParser(50);
    const items = [...parser.push('{"a":1}\n{"x":"' + 'y'.repeat(100)), ...parser.push('"}\n{"b":2}\n'), ...parser.end()];
    expect(items).toMatchObject([
      { kind: 'object', line: 1 },
      { kind: 'error', line: 2, code: 'json-too-long' },
      { kind: 'object', line: 3, value: { b: 2 } },
    ]);
  });
});

describe('JSON array', () => {
  it('streams elements with their index as line and pointer', async () => {
    const { input, items } = await readAll(fileWith('a.json', '\uFEFF [\n {"a":1},\n {"b":{"c":[1,2]}}\n]\n'));
    expect(input).toMatchObject({ format: 'json', gzip: false, header: undefined });
    expect(items).toEqual([
      { kind: 'object', line: 1, pointer: '/0', value: { a: 1 } },
      { kind: 'object', line: 2, pointer: '/1', value: { b: { c: [1, 2] } } },
    ]);
  });

  it('reports elements that are not objects and goes on', async () => {
    const { items } = await readAll(fileWith('b.json', '[{"a":1}, 2, "s", [3], null, {"b":2}]'));
    expect(items.map((item) => [item.kind, item.line, 'pointer' in item ? item.pointer : undefined])).toEqual([
      ['object', 1, '/0'],
      ['error', 2, '/1'],
      ['error', 3, '/2'],
      ['error', 4, '/3'],
      ['error', 5, '/4'],
      ['object', 6, '/5'],
    ]);
    expect(items[1]).toMatchObject({ code: 'json-not-object', message: 'expected a JSON object, found a number', raw: '2' });
  });

  it('ends the file with one json-syntax error, after the elements read before it', async () => {
    const { items } = await readAll(fileWith('c.json', '[{"a":1},{"b":2},{"c":'));
    expect(items).toEqual([
      { kind: 'object', line: 1, pointer: '/0', value: { a: 1 } },
      { kind: 'object', line: 2, pointer: '/1', value: { b: 2 } },
      expect.objectContaining({ kind: 'error', line: 3, pointer: '/2', code: 'json-syntax' }),
    ]);
  });

  it.each([false, true])('stops at a syntax error deep in a large file and still hashes the whole file (gzip: %s)', async (zipped) => {
    const elements = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, memo: 'Peñasco '.repeat(10) }));
    const text = Buffer.from(`[${elements.join(',\n')},\n{"broken": tru}, {"after": 1}]` + ' '.repeat(3_000_000));
    const bytes = zipped ? gzipSync(text) : text;
    const { input, items } = await readAll(fileWith(zipped ? 'd.json.gz' : 'd.json', bytes));
    const error = items.at(-1)!;
    expect(error).toMatchObject({ kind: 'error', code: 'json-syntax' });
    expect(items.filter((item) => item.kind === 'error')).toHaveLength(1);
    const objects = items.slice(0, -1);
    expect(objects.length).toBeGreaterThan(4000);
    objects.forEach((item, i) => expect(item).toMatchObject({ kind: 'object', line: i + 1, pointer: `/${i}`, value: { i } }));
    expect(error).toMatchObject({ line: objects.length + 1, pointer: `/${objects.length}` });
    expect(input.digest()).toEqual({ sha256: sha256(bytes), bytes: bytes.length });
  });

  it('reports a top-level value that is not an array, and an empty file', async () => {
    expect((await readAll(fileWith('e.json', '{"a":1}'))).items).toEqual([
      expect.objectContaining({ kind: 'error', line: 1, pointer: '', code: 'json-not-array' }),
    ]);
    expect((await readAll(fileWith('f.json', ' \n'))).items).toEqual([
      expect.objectContaining({ kind: 'error', line: 1, pointer: '', code: 'json-syntax' }),
    ]);
  });

  it('reads a gzipped array', async () => {
    const compressed = gzipSync('[{"a":1},{"b":2}]');
    const { input, items } = await readAll(fileWith('g.json.gz', compressed));
    expect(input.gzip).toBe(true);
    expect(items).toHaveLength(2);
    expect(input.digest()).toEqual({ sha256: sha256(compressed), bytes: compressed.length });
  });
});

describe('openInput', () => {
  it('fails with an input error naming the path and the reason', async () => {
    const missing = join(dir, 'missing.csv');
    const err = await rejection(openInput({ path: missing }));
    expect(err.kind).toBe('input');
    expect(err.message).toBe(`cannot open ${missing}: no such file or directory (ENOENT)`);
  });

  it('fails with an input error on a directory', async () => {
    const path = join(dir, 'folder.csv');
    mkdirSync(path);
    const err = await rejection(openInput({ path }));
    expect(err.kind).toBe('input');
    expect(err.message).toContain(path);
    expect(err.message).toContain('EISDIR');
  });

  it('needs a format for standard input', async () => {
    const err = await rejection(openInput({ path: '-' }));
    expect(err.kind).toBe('usage');
  });

  it('uses the format override', async () => {
    const { input, items } = await readAll(fileWith('export.txt', '{"a":1}\n'), 'ndjson');
    expect(input.format).toBe('ndjson');
    expect(items).toHaveLength(1);
  });

  it('computes the digest of a plain file, and only once it has been read', async () => {
    const bytes = Buffer.from('a,b\n1,2\n');
    const path = fileWith('d.csv', bytes);
    const input = await openInput({ path });
    expect(() => input.digest()).toThrow();
    for await (const batch of input.items) void batch;
    expect(input.digest()).toEqual({ sha256: sha256(readFileSync(path)), bytes: bytes.length });
  });

  it('lets the caller stop early', async () => {
    const input = await openInput({ path: fileWith('e.csv', 'a\n' + '1\n'.repeat(200_000)) });
    for await (const batch of input.items) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
  });
});
