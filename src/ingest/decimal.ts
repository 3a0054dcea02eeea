/**
 * Exact money: decimal text becomes integer minor units, never a binary float,
 * so 9,999.99 stays below 10,000.
 */

/** ISO 4217 minor-unit exponents that differ from 2 (plus bitcoin's 8). */
const EXPONENTS: ReadonlyMap<string, number> = new Map(Object.entries({
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
  VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BTC: 8, XBT: 8,
}));

export function currencyExponent(currency: string): number {
  if (currency === 'USD') return 2;
  return EXPONENTS.get(currency) ?? 2;
}

/**
 * An amount in minor units with the precision it needs: the currency's minor unit, or more decimals when
 * the export writes them (synthetic data writes yen with cents), so nothing is rounded. USD stays in
 * cents, since amount_usd is compared in cents.
 */
export function parseAmount(text: string, currency: string): { minor: number; exp: number } | string {
  const exp = currencyExponent(currency);
  const minor = parseMinorUnits(text, exp);
  if (typeof minor === 'number' || currency === 'USD') return typeof minor === 'number' ? { minor, exp } : minor;
  const dot = text.indexOf('.');
  const written = dot < 0 ? 0 : text.trim().length - dot - 1;
  if (written <= exp || written > MAX_EXPONENT) return minor;
  const precise = parseMinorUnits(text, written);
  return typeof precise === 'number' ? { minor: precise, exp: written } : precise;
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

/**
 * Parses a non-negative decimal ("9400", "9400.5", "0.01") into minor units with `exp` decimals.
 * Returns a string describing the problem when the text is not such a decimal.
 */
export function parseMinorUnits(text: string, exp: number): number | string {
  const fast = fastMinorUnits(text, exp);
  if (fast >= 0) return fast;
  const plain = expandExponent(text.trim());
  if (plain !== undefined) return parseMinorUnits(plain, exp);
  const s = text.trim();
  const dot = s.indexOf('.');
  const whole = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  if (whole === '' && frac === '') return `'${text}' is not a number`;
  if (!isDigits(whole) || !isDigits(frac)) {
    if (s.startsWith('-')) return `'${text}' is negative; amounts are positive and the sign goes into direction`;
    return `'${text}' is not a plain decimal number (digits and one '.', no signs or thousands separators)`;
  }
  let fracPart = frac;
  if (fracPart.length > exp) {
    if (!/^0*$/.test(fracPart.slice(exp))) return `'${text}' has more than ${exp} decimal places`;
    fracPart = fracPart.slice(0, exp);
  }
  const minor = Number(whole || '0') * POW10[exp]! + Number(fracPart.padEnd(exp, '0') || '0');
  if (!Number.isSafeInteger(minor)) return `'${text}' is too large`;
  return minor;
}

/** Digits with at most `exp` decimals, no padding: the common case, in one pass; -1 for anything else. */
function fastMinorUnits(s: string, exp: number): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  let decimals = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (decimals >= 0 || i === 0) return -1;
      decimals = 0;
      continue;
    }
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
    if (decimals >= 0 && ++decimals > exp) return -1;
  }
  if (decimals === 0) return -1;
  return v * POW10[exp - (decimals < 0 ? 0 : decimals)]!;
}

/** Exponent notation as some tools write it (3.4e-05) becomes the same number in plain digits, exactly. */
function expandExponent(s: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?[eE]([+-]?\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const digits = m[1]! + (m[2] ?? '');
  const point = m[1]!.length + Number(m[3]);
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return digits.slice(0, point) + '.' + digits.slice(point);
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Formats minor units as a plain decimal string ("9400.00"). */
export function formatMinorUnits(minor: number, exp: number): string {
  if (exp === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  return `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/** A rule literal (JSON number or decimal string) in minor units, exact; undefined when it is not a decimal. */
export function literalToMinor(value: number | string, exp: number): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (/e/i.test(text)) return undefined;
  const negative = text.trim().startsWith('-');
  const parsed = parseMinorUnits(negative ? text.trim().slice(1) : text, exp);
  if (typeof parsed === 'string') return undefined;
  return negative ? -parsed : parsed;
}

export const MAX_EXPONENT = 8;
