#!/usr/bin/env node
/**
 * amlscreen's benchmark: generates a seeded canonical export (cached under .bench/, by size, seed and a
 * digest of the generator's code), then runs the
 * built CLI on it end to end (default rules, a fresh store) and reports rows per second and peak
 * resident memory, for CSV and NDJSON.
 *
 *   npm run bench                                  # 1M rows
 *   npm run bench -- --rows 1000000,3000000        # is memory flat as the file grows?
 *   npm run bench -- --formats csv --seed 7
 *   npm run bench -- --repeat 5 --against "--rules my-pack" --formats csv
 *   npm run bench -- --repeat 8 --against-build ../other-checkout --formats csv   # this code against another
 *
 * Timings on a shared machine vary from run to run: --repeat runs each scan N times and reports the
 * median and the range, and --against runs a second configuration (its scan options; --against-build: the
 * built amlscreen of another checkout, to compare two versions of the code) alternately with
 * the first, so that both see the same conditions, and reports how many times as long the first takes:
 * the median of the run pairs' ratios, the ratio of the medians, and each pair's.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const ROOT = join(import.meta.dirname, '..', '..');
const BENCH = join(ROOT, '.bench');
const { generateRows, writeCanonicalCsv } = await import(join(ROOT, 'dist', 'samples', 'generate.js'));

function args() {
  const out = { rows: [1_000_000], seed: 42, formats: ['csv', 'ndjson'], repeat: 1, against: undefined, againstBuild: undefined, extra: [] };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') out.rows = argv[++i].split(',').map(Number);
    else if (a === '--seed') out.seed = Number(argv[++i]);
    else if (a === '--formats') out.formats = argv[++i].split(',');
    else if (a === '--repeat') out.repeat = Number(argv[++i]);
    else if (a === '--against') out.against = argv[++i].split(' ').filter((w) => w !== '');
    else if (a === '--against-build') out.againstBuild = resolve(argv[++i]);
    else if (a === '--') out.extra = argv.slice(i + 1), (i = argv.length);
    else throw new Error(`unknown argument ${a} (use --rows N[,N], --seed S, --formats csv,ndjson, --repeat N, --against "<scan options>", --against-build <checkout>, -- <scan options>)`);
  }
  if (!Number.isInteger(out.repeat) || out.repeat < 1) throw new Error('--repeat takes a whole number of runs, 1 or more');
  if (out.againstBuild && !existsSync(join(out.againstBuild, 'dist', 'cli', 'main.js'))) {
    throw new Error(`--against-build ${out.againstBuild}: no built amlscreen there (run npm ci, or npm run build, in it first)`);
  }
  return out;
}

/**
 * A year of activity per million rows, so a longer file is a longer period, not a busier day; a year at
 * least, the period every planted pattern fits in (some read reference lists that begin in 2025).
 */
function options(rows, seed) {
  return { rows, seed, start: '2025-01-06', days: Math.max(365, Math.round((rows / 1_000_000) * 365)) };
}

/** A digest of the built generator: a cached export made by another version of it is made again. */
const GENERATOR = (() => {
  const dir = join(ROOT, 'dist', 'samples');
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  return hash.digest('hex').slice(0, 8);
})();

async function ensureFile(format, rows, seed) {
  mkdirSync(BENCH, { recursive: true });
  const name = `canonical-${rows}-seed${seed}`;
  const file = join(BENCH, `${name}-${GENERATOR}.${format}`);
  if (existsSync(file)) return file;
  // Exports of the same size and seed from an earlier generator are stale: removed, not kept beside.
  for (const old of readdirSync(BENCH)) {
    const stale = old.startsWith(`${name}.`) || (old.startsWith(`${name}-`) && (old.endsWith(`.${format}`) || old.endsWith(`.${format}.partial`)));
    if (stale) rmSync(join(BENCH, old));
  }
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
async function scan(file, extra, root = ROOT) {
  const store = join(BENCH, 'bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(store + suffix, { force: true });
  const started = performance.now();
  // The bin itself, as a user runs it: its first line gives Node its options.
  const child = spawn(join(root, 'bin', 'amlscreen.js'), ['scan', file, '--store', store, '--format', 'ndjson', '--no-progress', ...extra], {
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
const configs = [{ name: opts.extra.join(' ') || '(default rules)', extra: opts.extra }];
if (opts.against || opts.againstBuild) {
  const extra = opts.against ?? opts.extra;
  configs.push({ name: [opts.againstBuild ? `(the build in ${opts.againstBuild})` : '', extra.join(' ')].join(' ').trim(), extra, root: opts.againstBuild });
}
if (configs.length > 1 || opts.repeat > 1) configs.forEach((c, i) => console.log(`${'AB'[i]}: ${c.name}`));
const cfg = configs.length > 1 ? 'run ' : '';
console.log(`${cfg}format   rows       seconds${opts.repeat > 1 ? ' (median, range)   ' : ''}  rows/s    peak RSS  alerts  cases`);
for (const rows of opts.rows) {
  for (const format of opts.formats) {
    const file = await ensureFile(format, rows, opts.seed);
    // Alternating runs: A, B, A, B, ...
    const runs = configs.map(() => []);
    for (let r = 0; r < opts.repeat; r++) {
      for (let c = 0; c < configs.length; c++) runs[c].push(await scan(file, configs[c].extra, configs[c].root));
    }
    runs.forEach((list, c) => {
      const seconds = median(list.map((x) => x.seconds));
      const range = opts.repeat > 1 ? ` (${Math.min(...list.map((x) => x.seconds)).toFixed(2)}–${Math.max(...list.map((x) => x.seconds)).toFixed(2)})`.padEnd(19) : '';
      const { summary } = list[0];
      console.log([
        (cfg ? 'AB'[c].padEnd(4) : '') + format.padEnd(8), String(summary.records).padEnd(10), seconds.toFixed(2).padStart(7) + range, ' ',
        String(Math.round(summary.records / seconds)).padEnd(9), `${Math.max(...list.map((x) => x.peakMb)).toFixed(0)} MB`.padEnd(9),
        String(summary.alerts).padEnd(7), summary.cases,
      ].join(' '));
    });
    if (configs.length > 1) {
      // Each pair ran back to back, under the same conditions: the median pair is the steadiest figure.
      const ratios = runs[0].map((a, r) => a.seconds / runs[1][r].seconds);
      const detail = opts.repeat > 1 ? `; by the medians ${(median(runs[0].map((x) => x.seconds)) / median(runs[1].map((x) => x.seconds))).toFixed(2)}; run by run ${ratios.map((x) => x.toFixed(2)).join(', ')}` : '';
      console.log(`A takes ${median(ratios).toFixed(2)} times as long as B${opts.repeat > 1 ? ' (median pair' + detail + ')' : ''}`);
      if (opts.repeat > 1) console.log(medianInterval(ratios));
    }
  }
}

/**
 * A 95% confidence interval for the median pair ratio, from the pairs' order statistics (a binomial
 * bound, no assumption about how the timings are spread). Two configurations differ only when the
 * interval leaves out 1; on a busy host the pairs of one build against itself spread by a fifth or more.
 */
function medianInterval(ratios) {
  const n = ratios.length;
  // The largest k with P(Binomial(n, 1/2) < k) <= 2.5%: the interval runs from the k-th to the (n + 1 - k)-th smallest.
  let k = 0;
  let below = 0;
  const choose = (m, j) => (j === 0 ? 1 : (choose(m, j - 1) * (m - j + 1)) / j);
  while (below + choose(n, k) / 2 ** n <= 0.025) below += choose(n, k++) / 2 ** n;
  if (k === 0) return `95% interval of the median pair: needs 6 pairs or more (--repeat 6), got ${n}`;
  const sorted = [...ratios].sort((a, b) => a - b);
  return `95% interval of the median pair: ${sorted[k - 1].toFixed(2)}–${sorted[n - k].toFixed(2)} (the ${ordinal(k)} to the ${ordinal(n + 1 - k)} of ${n} pair ratios)`;
}

function ordinal(i) {
  const suffix = i % 100 >= 11 && i % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][i % 10] ?? 'th';
  return `${i}${suffix}`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
