/**
 * amount_usd for foreign-currency legs through a dated rate table (`date, ccy, usd_per_unit, source`):
 * the rate of the booking date, or the latest earlier one within a few days. The product of the exact
 * amount and the exact decimal rate is rounded half to even to cents, once. A leg without a usable rate
 * keeps amount_usd absent, and rules that need it say "not evaluated".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AmlError, type Diagnostic } from '../errors.js';
import { epochDay } from './time.js';

export interface FxRate {
  /** USD per unit as an exact fraction. */
  num: bigint;
  den: bigint;
  text: string;
  date: string;
  source: string;
}

export interface FxConversion {
  cents: number;
  rate: FxRate;
}

export interface FxTable {
  file: string;
  sha256: string;
  /** How many days back a rate may be used. */
  maxAgeDays: number;
  convert(currency: string, amountMinor: number, exp: number, localDay: number): FxConversion | undefined;
}

const HEADER = ['date', 'ccy', 'usd_per_unit', 'source'];

export function loadFxTable(file: string, maxAgeDays = 7): FxTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AmlError('input', `cannot read the FX rate table ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]!.split(',').map((c) => c.trim());
  if (HEADER.some((h, i) => header[i] !== h)) {
    throw new AmlError('config', `${file}:1: the FX rate table needs the columns ${HEADER.join(', ')}`);
  }
  const byCurrency = new Map<string, Array<{ day: number; rate: FxRate }>>();
  const problems: Diagnostic[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [date, ccy, value, source = ''] = line.split(',').map((c) => c.trim());
    const fraction = /^\d{4}-\d{2}-\d{2}$/.test(date ?? '') && /^[A-Z]{3}$/.test(ccy ?? '') ? decimalFraction(value ?? '') : undefined;
    if (!fraction) {
      problems.push({ code: 'fx-row', severity: 'error', message: `expected date (YYYY-MM-DD), ISO currency code, positive decimal rate; got '${line}'`, location: { file, line: i + 2 } });
      return;
    }
    const list = byCurrency.get(ccy!) ?? [];
    list.push({ day: epochDay(date!), rate: { ...fraction, text: value!, date: date!, source } });
    byCurrency.set(ccy!, list);
  });
  if (problems.length > 0) throw new AmlError('config', `invalid FX rate table ${file}`, problems);
  for (const list of byCurrency.values()) list.sort((a, b) => a.day - b.day);
  return {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    maxAgeDays,
    convert(currency, amountMinor, exp, localDay) {
      const list = byCurrency.get(currency);
      if (!list) return undefined;
      const found = latestOnOrBefore(list, localDay);
      if (!found || localDay - found.day > maxAgeDays) return undefined;
      return { cents: toCents(amountMinor, exp, found.rate), rate: found.rate };
    },
  };
}

function decimalFraction(text: string): { num: bigint; den: bigint } | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const frac = m[2] ?? '';
  const num = BigInt(m[1]! + frac);
  return num === 0n ? undefined : { num, den: 10n ** BigInt(frac.length) };
}

function latestOnOrBefore<T extends { day: number }>(list: readonly T[], day: number): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  let best: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.day <= day) {
      best = list[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/** amount (minor units with `exp` decimals) × rate, in cents, rounded half to even. */
export function toCents(amountMinor: number, exp: number, rate: { num: bigint; den: bigint }): number {
  const num = BigInt(amountMinor) * rate.num * 100n;
  const den = rate.den * 10n ** BigInt(exp);
  const q = num / den;
  const twice = (num - q * den) * 2n;
  return Number(twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q);
}
