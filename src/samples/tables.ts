/**
 * Interned counterparties and memo texts. A leg stores small integers; the CSV text of each entry is
 * escaped once here, so writing a row is string concatenation only.
 */
import { csvField } from './csv.js';

/** [cp_name, cp_account, cp_country, cp_bank_country] */
export type Party = readonly [string, string, string, string];

export class Tables {
  readonly parties: Party[] = [];
  /** `cp_name,cp_account,cp_country,cp_bank_country`, CSV-escaped. */
  readonly partyCsv: string[] = [];
  readonly memos: string[] = [];
  readonly memoCsv: string[] = [];
  private readonly partyIndex = new Map<string, number>();
  private readonly memoIndex = new Map<string, number>();

  party(p: Party): number {
    const key = p.join('\u0000');
    let i = this.partyIndex.get(key);
    if (i === undefined) {
      i = this.parties.length;
      this.parties.push(p);
      this.partyCsv.push(p.map(csvField).join(','));
      this.partyIndex.set(key, i);
    }
    return i;
  }

  memo(text: string): number {
    let i = this.memoIndex.get(text);
    if (i === undefined) {
      i = this.memos.length;
      this.memos.push(text);
      this.memoCsv.push(csvField(text));
      this.memoIndex.set(text, i);
    }
    return i;
  }
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
