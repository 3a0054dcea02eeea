/**
 * Interned counterparties and memo texts. A leg stores small integers; the CSV text of each entry is
 * escaped once here, so writing a row is string concatenation only.
 */
import type { Extra } from './columns.js';
import { csvField } from './csv.js';

/** [cp_name, cp_account, cp_country, cp_bank_country, cp_bank_name, cp_bank_bic, intermediary_bics] */
export type Party = readonly string[];
const PARTY_FIELDS = 7;

export class Tables {
  /** Every party padded to PARTY_FIELDS values. */
  readonly parties: Party[] = [];
  /** The party columns, CSV-escaped. */
  readonly partyCsv: string[] = [];
  readonly memos: string[] = [];
  readonly memoCsv: string[] = [];
  /** Per-leg extras (instrument, funding, trade fields). */
  readonly extras: Extra[] = [];
  private readonly partyIndex = new Map<string, number>();
  private readonly memoIndex = new Map<string, number>();
  private readonly extraIndex = new Map<string, number>();

  /** A counterparty: name, account, country, bank country, then optionally bank name, BIC, intermediary BICs. */
  party(given: Party): number {
    const p = [...given, ...Array<string>(PARTY_FIELDS - given.length).fill('')];
    return intern(this.partyIndex, p.join('\u0000'), () => {
      this.parties.push(p);
      this.partyCsv.push(p.map(csvField).join(','));
      return this.parties.length - 1;
    });
  }

  extra(e: Extra): number {
    return intern(this.extraIndex, JSON.stringify(e), () => this.extras.push(e) - 1);
  }

  memo(text: string): number {
    return intern(this.memoIndex, text, () => {
      this.memos.push(text);
      return this.memoCsv.push(csvField(text)) - 1;
    });
  }
}

function intern(index: Map<string, number>, key: string, add: () => number): number {
  let i = index.get(key);
  if (i === undefined) index.set(key, (i = add()));
  return i;
}

/** Memo texts every population starts with, at fixed indices. */
export const MEMO = {
  cashDeposit: 0,
  cashWithdrawal: 1,
  checkDepositTeller: 2,
  checkDepositMobile: 3,
  businessDeposit: 4,
} as const;

export function newTables(): Tables {
  const t = new Tables();
  for (const text of ['TELLER CASH DEPOSIT', 'TELLER CASH WITHDRAWAL', 'TELLER CHECK DEPOSIT', 'MOBILE CHECK DEPOSIT',
    'BUSINESS CASH DEPOSIT']) {
    t.memo(text);
  }
  return t;
}
