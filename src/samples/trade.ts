/**
 * Trade-based money laundering on the U.S.–Mexico corridor (domain/typologies.md §3.5): patterns (T1)–(T8),
 * each of which must raise one alert of the TBML rule named, as trade-finance payments of U.S. exporters and
 * importers that bank here. Their look-alikes are in trade-lookalikes.ts.
 *
 * Every trade leg carries its invoice and shipment (the trade columns, as the leg's extras). The defaults keep a
 * leg clear of every TBML rule: a unit price inside the illustrative hs_unit_values band, a specific goods
 * description with a well-formed HS code, the buyer as payer, banks in the seller's or buyer's country, a
 * direct shipment, each invoice paid once in full with cents. A pattern breaks exactly one of them. Every
 * trader is a quiet customer (no background legs), so its trade legs are the account's only activity and
 * nothing leaves after money comes in (XB-004); the legs are trade_finance, never the wire channel that
 * XB-005 counts. Company names and account numbers are invented; a Mexican counterparty's bank is the one
 * its CLABE's bank code names (catalog BANKS).
 */
import { BANKS, BRANCH, clabe, type MX_BANK_CODES } from './catalog.js';
import type { Extra } from './columns.js';
import { money } from './format.js';
import { Kind } from './legs.js';
import { list, type PlannedLeg, type Planner, usd } from './plan.js';

const H = 3600;
const BANK = 'First Border Bank';
/** USD per peso in samples/fx_rates.csv on every day of the sample period (scan with --fx-rates). */
export const MXN_RATE = 0.058;

/** A party to a trade, with the account it pays from or is paid into and that account's bank ([name, BIC]). */
export interface Trader {
  name: string;
  country: string;
  account: string;
  bankCountry: string;
  bank: readonly [string, string];
}

/** An invoice and the shipment it bills, from the seller's country to the buyer's. */
export interface Invoice {
  id: string;
  /** Invoice amount in minor units of `currency` (default USD). */
  cents: number;
  currency?: 'USD' | 'MXN';
  /** Absent: the invoice gives no HS code. */
  hs?: string;
  goods: string;
  quantity?: number;
  unit?: 'u' | 'kg';
  seller: Trader;
  buyer: Trader;
  /** Transshipment ports (UN/LOCODEs); absent for a direct shipment. */
  via?: readonly string[];
  bl: string;
}

/** A company in Mexico paying from, or paid into, a CLABE account at the bank its first three digits name. */
export function mexican(name: string, first17: string): Trader {
  const bank = BANKS[first17.slice(0, 3) as (typeof MX_BANK_CODES)[number]];
  return { name, country: 'MX', account: clabe(first17), bankCountry: 'MX', bank };
}

/** Home branches of the trading companies: the border crossings their goods go through. */
const PORTS_OF_ENTRY = [BRANCH.laredo, BRANCH.elPaso, BRANCH.mcAllen, BRANCH.nogales, BRANCH.calexico, BRANCH.sanYsidro];

/**
 * A quiet customer that is the U.S. trading company `name`, banking at a border branch and trading with
 * `countries` (its KYC profile); its case; and the company as a trader.
 */
export function trader(
  pl: Planner, pattern: string, rule: string, alert: boolean, name: string, countries = 'MX',
): { tag: number; me: Trader } {
  const c = pl.customer(true);
  const tag = pl.open(pattern, rule, alert, c);
  pl.pop.name[c] = name;
  pl.pop.business[c] = 1;
  pl.pop.home[c] = pl.rng.pick(PORTS_OF_ENTRY);
  pl.pop.countries[c] = countries;
  return { tag, me: { name, country: 'US', account: pl.pop.acctId[c]!, bankCountry: 'US', bank: [BANK, ''] } };
}

/** A business day anywhere in the period. */
export function someDay(pl: Planner, what: string): number {
  return pl.period.weekdays[pl.anchor(what, pl.runs(1))]!;
}

/** The customer, the seller, is paid `cents` on the invoice by `from` (by default the buyer). */
export function receive(pl: Planner, tag: number, day: number, inv: Invoice, from = inv.buyer, cents = inv.cents): PlannedLeg {
  return book(pl, tag, day, Kind.tradeIn, inv, from, from, cents);
}

/** The customer, the buyer, pays `cents` on the invoice to the seller. */
export function pay(pl: Planner, tag: number, day: number, inv: Invoice, cents = inv.cents): PlannedLeg {
  return book(pl, tag, day, Kind.tradeOut, inv, inv.seller, inv.buyer, cents);
}

function book(
  pl: Planner, tag: number, day: number, kind: Kind, inv: Invoice, cp: Trader, payer: Trader, cents: number,
): PlannedLeg {
  const t = pl.pop.tables;
  return pl.add(tag, {
    day, sec: pl.rng.int(10 * H, 15 * H), cust: pl.cases[tag - 1]!.cust, kind, cents,
    cp: t.party([cp.name, cp.account, cp.country, cp.bankCountry, ...cp.bank]),
    memo: t.memo(`TRADE PMT ${kind === Kind.tradeIn ? 'FROM' : 'TO'} ${cp.name.toUpperCase()} INV ${inv.id}`),
    extra: t.extra(tradeFields(inv, payer)),
  });
}

function tradeFields(inv: Invoice, payer: Trader): Extra {
  return {
    invoice_id: inv.id, invoice_amount: money(inv.cents), invoice_currency: inv.currency ?? 'USD', hs_code: inv.hs,
    goods_description: inv.goods, quantity: inv.quantity?.toString(), quantity_unit: inv.unit,
    seller_name: inv.seller.name, seller_country: inv.seller.country, buyer_name: inv.buyer.name,
    buyer_country: inv.buyer.country, payer_name: payer.name, payer_country: payer.country,
    country_of_origin: inv.seller.country, country_of_destination: inv.buyer.country,
    transshipment_ports: inv.via?.join(';'), bl_number: inv.bl,
  };
}

/** `$110,675.00`, or `MXN 612,450.00`. */
export function amount(cents: number, currency = 'USD'): string {
  return currency === 'USD' ? usd(cents) : `${currency} ${usd(cents).slice(1)}`;
}

const UNIT = { u: 'units', kg: 'kg' } as const;

/** `invoice ID (AMOUNT): QUANTITY UNIT of "GOODS" (HS …), SELLER (US) to BUYER (MX)` */
export function invoiceText(inv: Invoice): string {
  const qty = inv.quantity === undefined ? '' : `${String(inv.quantity).replace(/\B(?=(\d{3})+$)/g, ',')} ${UNIT[inv.unit!]} of `;
  return `invoice ${inv.id} (${amount(inv.cents, inv.currency)}): ${qty}"${inv.goods}"${inv.hs ? ` (HS ${inv.hs})` : ', no HS code'}, `
    + `${inv.seller.name} (${inv.seller.country}) to ${inv.buyer.name} (${inv.buyer.country})`;
}

/** The unit price, `$2,912.50`, to the cent. */
export function unitPrice(inv: Invoice): string {
  return usd(Math.round(inv.cents / inv.quantity!));
}

const BUYERS = {
  phones: mexican('Celulares y Accesorios del Golfo, S.A. de C.V.', '07258000714420936'),
  brakes: mexican('Refaccionaria Industrial de Chihuahua, S.A. de C.V.', '01215000382211475'),
  toys: mexican('Jugueterías del Centro, S.A. de C.V.', '01418000923310088'),
  mixed: mexican('Comercializadora Múltiple del Pacífico, S.A. de C.V.', '00276000455102931'),
  tvs: mexican('Electrodomésticos Valle de Anáhuac, S.A. de C.V.', '07258000661277304'),
};

const SELLERS = {
  avocados: mexican('Aguacates Selectos de Uruapan, S.A. de C.V.', '02110200587730219'),
  shirts: mexican('Confecciones Textiles de Torreón, S.A. de C.V.', '01205000410098876'),
  toys: mexican('Artesanías y Juguetes de Tonalá, S.A. de C.V.', '00232000771504412'),
};

const QUIET = 'The legs are trade_finance, not wires (no XB-005), and nothing else moves on the account (no XB-004).';

/** (T1) 38 smartphones exported to Mexico at $2,912.50 each, over three times the band's p95. */
export function overInvoicedPhones(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-001-over-invoiced-phones', 'TBML-001', true, 'Frontera Wireless Distributors LLC');
  const day = someDay(pl, 'pattern (T1)');
  const inv: Invoice = {
    id: 'FWD-26-0147', cents: 11_067_500, hs: '8517.13.0000', goods: 'Smartphones, 6.1 in, 128 GB, unlocked, model FX-12',
    quantity: 38, unit: 'u', seller: me, buyer: BUYERS.phones, bl: 'RGXL-260114-07',
  };
  receive(pl, tag, day, inv);
  pl.note(tag, `(T1) On ${pl.date(day)} ${me.name}, a U.S. exporter, is paid ${usd(inv.cents)} by the buyer for `
    + `${invoiceText(inv)}: ${unitPrice(inv)} a phone. The illustrative band for HS 851713 has p95 $900.00, so the price is `
    + `above p95 × 1.1 ($990.00) and at least 3 × the median ($260.00): TBML-001 at severity 80, a U.S. export priced high `
    + `(value moved into the U.S.). The buyer pays from its own Mexican account, the description and HS code are specific, `
    + `the shipment is direct and the invoice is paid once in full: no other TBML rule. ${QUIET}`);
}

/** (T2) A U.S. individual pays a Mexican buyer's invoice for brake parts. */
export function thirdPartyPayer(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-002-third-party-payer', 'TBML-002', true, 'Sun Belt Brake Supply LLC');
  const day = someDay(pl, 'pattern (T2)');
  const inv: Invoice = {
    id: 'SBB-4410', cents: 1_974_000, hs: '8708.30.5090', quantity: 2350, unit: 'kg',
    goods: 'Brake calipers and rotors for light trucks, part nos. BC-2210 and BR-3315',
    seller: me, buyer: BUYERS.brakes, bl: 'SBB-BOL-0926',
  };
  const payer: Trader = {
    name: 'Rogelio Ibarra Quintero', country: 'US', account: '7305518842', bankCountry: 'US', bank: BANKS.US,
  };
  receive(pl, tag, day, inv, payer);
  pl.note(tag, `(T2) On ${pl.date(day)} ${me.name} is paid ${usd(inv.cents)} for ${invoiceText(inv)}, not by the buyer but `
    + `by ${payer.name}, an individual with an account at a U.S. bank. The payer is not the invoice's buyer and is no related `
    + `party: TBML-002 (one alert, for invoice ${inv.id}), at severity 80 because the payer's country (US) is neither the `
    + `buyer's nor the destination (MX): the Black Market Peso Exchange pattern of a peso broker settling a Mexican `
    + `importer's dollar invoice. The payer's bank is in the seller's country (no TBML-003); ${unitPrice(inv)} a kg is inside `
    + `the 870830 band. ${QUIET}`);
}

/** (T3) A Mexican buyer pays a U.S. exporter from a bank in Hong Kong. */
export function unrelatedBankCountry(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-003-hong-kong-bank', 'TBML-003', true, 'Lakeside Toy Export Co');
  const day = someDay(pl, 'pattern (T3)');
  const buyer: Trader = { ...BUYERS.toys, account: '652-318804-001', bankCountry: 'HK', bank: ['Harbourline Bank (Hong Kong) Limited', ''] };
  const inv: Invoice = {
    id: 'LTE-2026-031', cents: 3_024_000, hs: '9503.00.0073', goods: 'Plastic building-block toy sets, 500 pieces, boxed',
    quantity: 3150, unit: 'kg', seller: me, buyer, bl: 'LTE-BOL-26031',
  };
  receive(pl, tag, day, inv);
  pl.note(tag, `(T3) On ${pl.date(day)} ${me.name} is paid ${usd(inv.cents)} for ${invoiceText(inv)}. The buyer pays, but `
    + `from an account at ${buyer.bank[0]}: a bank in Hong Kong, which is neither the seller's, the buyer's, the origin's nor the `
    + `destination's country, and not where the dollar clears (US): TBML-003, at severity 70 because Hong Kong is on the `
    + `free_trade_zones countries list. The buyer is the payer (no TBML-002); Hong Kong is on no FATF list (no XB-001, `
    + `XB-002); ${unitPrice(inv)} a kg is inside the 950300 band. ${QUIET}`);
}

/** (T4) An export invoiced as "General merchandise", with no HS code. */
export function genericGoods(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-004-general-merchandise', 'TBML-004', true, 'Pan American Trading Group LLC');
  const day = someDay(pl, 'pattern (T4)');
  const inv: Invoice = { id: 'PATG-0388', cents: 4_735_000, goods: 'General merchandise', seller: me, buyer: BUYERS.mixed, bl: 'PATG-BOL-0388' };
  receive(pl, tag, day, inv);
  pl.note(tag, `(T4) On ${pl.date(day)} ${me.name} is paid ${usd(inv.cents)} for ${invoiceText(inv)}, and no quantity. `
    + `The whole description is a generic_goods_terms entry and an invoiced payment has no HS code: TBML-004. Without an `
    + `HS code and a quantity TBML-001 cannot price the goods (not evaluated). The buyer pays from its own Mexican bank; `
    + `the shipment is direct. ${QUIET}`);
}

/** (T5) Televisions from the U.S. to Mexico transshipped at Manzanillo International, Colón Free Zone. */
export function freeZoneTransshipment(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-005-colon-transshipment', 'TBML-005', true, 'Southwest Appliance Export Co');
  const day = someDay(pl, 'pattern (T5)');
  const inv: Invoice = {
    id: 'SAE-26-1102', cents: 10_017_000, hs: '8528.72.6400', goods: '50-inch LED colour televisions, 4K, model SW50-UHD',
    quantity: 420, unit: 'u', seller: me, buyer: BUYERS.tvs, via: ['PAMIT'], bl: 'CFZX2601102',
  };
  receive(pl, tag, day, inv);
  pl.note(tag, `(T5) On ${pl.date(day)} ${me.name} is paid ${usd(inv.cents)} for ${invoiceText(inv)}, shipped from the U.S. to `
    + `Mexico by way of Manzanillo International (PAMIT), the port of Panama's Colón Free Zone. A free-trade-zone port on `
    + `the route, and a transshipment on a U.S.–Mexico shipment: TBML-005 (severity 50; Panama is on no FATF list). `
    + `${unitPrice(inv)} a set is inside the 852872 band; the buyer pays from its Mexican bank (no TBML-002, TBML-003). ${QUIET}`);
}

/** (T6) Three round payments to a Mexican avocado packer, none matching its invoice, within 19 business days. */
export function roundTradePayments(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-006-round-payments', 'TBML-006', true, 'Valle Verde Produce LLC');
  const w = pl.period.weekdays;
  const i = pl.anchor('pattern (T6)', pl.runs(19, 28));
  const days = [w[i]!, w[i + 9]!, w[i + 18]!];
  const lots: [string, number, number][] = [['ASU-7711', 12_075, 219], ['ASU-7742', 18_400, 224], ['ASU-7790', 13_850, 221]];
  const paid = [2_500_000, 4_000_000, 3_000_000];
  const invs = lots.map(([id, kg, centsPerKg]): Invoice => ({
    id, cents: kg * centsPerKg, hs: '0804.40.01', goods: 'Fresh Hass avocados, size 48, in 11.3 kg cartons', quantity: kg,
    unit: 'kg', seller: SELLERS.avocados, buyer: me, bl: `ASU-CP-${id.slice(4)}`,
  }));
  days.forEach((day, k) => pay(pl, tag, day, invs[k]!, paid[k]));
  const sent = list(days.map((d, k) => `${usd(paid[k]!)} on ${pl.date(d)} against invoice ${invs[k]!.id} for ${usd(invs[k]!.cents)}`));
  pl.note(tag, `(T6) ${me.name}, a U.S. importer, pays ${SELLERS.avocados.name} ${sent}. Within 90 days, three trade `
    + `payments to one counterparty account of at least $10,000 in whole thousands, each more than 1% off its invoice (all `
    + `short of it): TBML-006 (A). No payment exceeds its invoice (no TBML-007); the avocados are priced inside the 080440 `
    + `band; one beneficiary in one country (no XB-007). ${QUIET}`);
}

/** (T7) One invoice for T-shirts, with one bill of lading, paid in full twice. */
export function invoicePaidTwice(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-007-invoice-paid-twice', 'TBML-007', true, 'Maverick Apparel Imports LLC');
  const w = pl.period.weekdays;
  const i = pl.anchor('pattern (T7)', pl.runs(8, 12));
  const days = [w[i]!, w[i + 7]!];
  const inv: Invoice = {
    id: 'CTT-A-4471', cents: 1_872_000, hs: '6109.10.01', goods: "Men's cotton crew-neck T-shirts, 180 g, assorted sizes",
    quantity: 6000, unit: 'u', seller: SELLERS.shirts, buyer: me, bl: 'CTT-CP-260471',
  };
  for (const day of days) pay(pl, tag, day, inv);
  pl.note(tag, `(T7) ${me.name} pays ${usd(inv.cents)} for ${invoiceText(inv)} on ${pl.date(days[0]!)} and the same amount, `
    + `against the same invoice and bill of lading ${inv.bl}, again on ${pl.date(days[1]!)}. Payments referencing one invoice `
    + `total ${usd(2 * inv.cents)}, more than 1.05 × the invoice: TBML-007 (one alert, for invoice ${inv.id}). The importer `
    + `pays its own supplier (no TBML-002); ${unitPrice(inv)} a shirt is inside the 610910 band; neither payment is round `
    + `(no TBML-006). ${QUIET}`);
}

/** (T8) A peso invoice paid in dollars at an implied rate 10% below the reference rate. */
export function offMarketRate(pl: Planner): void {
  const { tag, me } = trader(pl, 'tbml-014-off-market-fx', 'TBML-014', true, 'Canyon Crafts Imports LLC');
  const day = someDay(pl, 'pattern (T8)');
  const inv: Invoice = {
    id: 'AJT-F-10392', cents: 61_245_000, currency: 'MXN', hs: '9503.00.99', quantity: 5800, unit: 'kg',
    goods: 'Hand-painted wooden toys: baleros, trompos and yo-yos', seller: SELLERS.toys, buyer: me, bl: 'AJT-CP-10392',
  };
  const paid = 3_185_037;
  const worth = Math.round(inv.cents * MXN_RATE);
  pay(pl, tag, day, inv, paid);
  pl.note(tag, `(T8) On ${pl.date(day)} ${me.name} pays ${usd(paid)} for ${invoiceText(inv)}: an implied rate of `
    + `${(paid / inv.cents).toFixed(6)} USD per peso against the reference ${MXN_RATE.toFixed(6)} of samples/fx_rates.csv, at `
    + `which the invoice is worth ${usd(worth)}; ${((1 - paid / worth) * 100).toFixed(1)}% below it, beyond 5%: TBML-014 (b), `
    + `per account. Only with --fx-rates samples/fx_rates.csv; without it the invoice has no USD amount and the leg is not `
    + `evaluated. The payment is below the invoice's value (no TBML-007), not round (no TBML-006). ${QUIET}`);
}
