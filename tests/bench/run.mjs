#!/usr/bin/env node
/**
 * amlscreen's benchmark: generates a seeded canonical export (cached under .bench/), then runs the
 * built CLI on it end to end (default rules, a fresh store) and reports rows per second and peak
 * resident memory, for CSV and NDJSON.
 *
 *   npm run bench                                  # 1M rows
 *   npm run bench -- --rows 1000000,3000000        # is memory flat as the file grows?
 *   npm run bench -- --formats csv --seed 7
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const ROOT = join(import.meta.dirname, '..', '..');
const BENCH = join(ROOT, '.bench');
const { generateRows, writeCanonicalCsv } = await import(join(ROOT, 'dist', 'samples', 'generate.js'));

function args() {
  const out = { rows: [1_000_000], seed: 42, formats: ['csv', 'ndjson'], extra: [] };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') out.rows = argv[++i].split(',').map(Number);
    else if (a === '--seed') out.seed = Number(argv[++i]);
    else if (a === '--formats') out.formats = argv[++i].split(',');
    else if (a === '--') out.extra = argv.slice(i + 1), (i = argv.length);
    else throw new Error(`unknown argument ${a} (use --rows N[,N], --seed S, --formats csv,ndjson, -- <scan options>)`);
  }
  return out;
}

/** A year of activity per million rows, so a longer file is a longer period, not a busier day. */
function options(rows, seed) {
  return { rows, seed, start: '2025-01-06', days: Math.max(90, Math.round((rows / 1_000_000) * 365)) };
}

async function ensureFile(format, rows, seed) {
  mkdirSync(BENCH, { recursive: true });
  const file = join(BENCH, `canonical-${rows}-seed${seed}.${format}`);
  if (existsSync(file)) return file;
  const started = performance.now();
  const partial = `${file}.partial`;
  if (format === 'csv') await writeCanonicalCsv(partial, options(rows, seed));
  else await writeNdjson(partial, options(rows, seed));
  renameSync(partial, file);
  console.error(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

async function writeNdjson(path, opts) {
  const out = createWriteStream(path);
  let chunk = '';
  for (const row of generateRows(opts)) {
    chunk += JSON.stringify(row) + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Runs the CLI, sampling the child's peak resident set (VmHWM) from /proc while it runs. */
async function scan(file, extra) {
  const store = join(BENCH, 'bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(store + suffix, { force: true });
  const started = performance.now();
  // The bin itself, as a user runs it: its first line gives Node its options.
  const child = spawn(join(ROOT, 'bin', 'amlscreen.js'), ['scan', file, '--store', store, '--format', 'ndjson', '--no-progress', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakKb = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // the process has just exited
    }
  };
  const timer = setInterval(sample, 25);
  let last = '';
  child.stdout.on('data', (d) => {
    last = (last + d.toString()).split('\n').slice(-2).join('\n');
  });
  const [code] = await once(child, 'exit');
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`scan exited with ${code}`);
  const summary = JSON.parse(last.trim().split('\n').pop());
  return { seconds, peakMb: peakKb / 1024, summary };
}

const opts = args();
console.log(`amlscreen benchmark · node ${process.version} · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · seed ${opts.seed}`);
console.log('format   rows       seconds  rows/s    peak RSS  alerts  cases');
for (const rows of opts.rows) {
  for (const format of opts.formats) {
    const file = await ensureFile(format, rows, opts.seed);
    const { seconds, peakMb, summary } = await scan(file, opts.extra);
    console.log([
      format.padEnd(8), String(summary.records).padEnd(10), seconds.toFixed(2).padStart(7), ' ',
      String(Math.round(summary.records / seconds)).padEnd(9), `${peakMb.toFixed(0)} MB`.padEnd(9),
      String(summary.alerts).padEnd(7), summary.cases,
    ].join(' '));
  }
}
