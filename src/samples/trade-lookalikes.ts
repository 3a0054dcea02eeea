/**
 * Trade look-alikes: payments of U.S. exporters and importers that resemble patterns (T1)–(T8) of trade.ts
 * but sit just on the wrong side of the TBML rule's main condition ((T1′) for (T1), and so on; a second one
 * is (T1″)). No rule may fire on them.
 */
import { BANKS } from './catalog.js';
import { list, type Planner, usd } from './plan.js';
import {
  amount, type Invoice, invoiceText, mexican, MXN_RATE, pay, receive, someDay, type Trader, trader, unitPrice,
} from './trade.js';

const CLEAR = 'The buyer pays from its own bank in its own country, the description and HS code are specific, the '
  + 'shipment is direct and the invoice is paid once in full with cents, so no other TBML rule fires either.';

/** A U.S. exporter paid by its Mexican buyer on a random business day: the look-alikes' usual shape. */
function exportPaid(
  pl: Planner, label: string, pattern: string, rule: string, company: string, doc: Omit<Invoice, 'seller'>, countries = 'MX',
) {
  const { tag, me } = trader(pl, pattern, rule, false, company, countries);
  const day = someDay(pl, `look-alike (${label})`);
  const inv: Invoice = { ...doc, seller: me };
  receive(pl, tag, day, inv);
  return { tag, me, inv, paid: `(${label}) On ${pl.date(day)} ${me.name} is paid ${usd(inv.cents)} for ${invoiceText(inv)}` };
}

/** (T1′) Laptops exported to Mexico at $698.40 each, inside the 847130 band. */
export function laptopsInBand(pl: Planner): void {
  const { tag, inv, paid } = exportPaid(pl, 'T1′', 'laptops-in-band', 'TBML-001', 'Rio Bravo Computer Supply Inc', {
    id: 'RBC-26-0522', cents: 8_380_800, hs: '8471.30.0100', quantity: 120, unit: 'u', bl: 'RBC-BOL-0522',
    goods: 'Notebook computers, 14 in, 16 GB RAM, 512 GB SSD, model RB-14',
    buyer: mexican('Distribuidora de Cómputo Regiomontana, S.A. de C.V.', '07258000390412775'),
  });
  pl.note(tag, `${paid}: ${unitPrice(inv)} a laptop, between p05 × 0.9 ($108.00) and p95 × 1.1 ($1,760.00) of the `
    + `illustrative 847130 band. ${CLEAR} Must not alert.`);
}

/** (T1″) Flagship smartphones at $985.00: above the band's p95 ($900) but within its 10% tolerance. */
export function phonesWithinTolerance(pl: Planner): void {
  const { tag, inv, paid } = exportPaid(pl, 'T1″', 'phones-within-tolerance', 'TBML-001', 'Border Mobile Wholesale LLC', {
    id: 'BMW-3380', cents: 5_910_000, hs: '8517.13.0000', quantity: 60, unit: 'u', bl: 'BMW-BOL-3380',
    goods: 'Smartphones, 6.7 in, 512 GB, unlocked, flagship model BX-Pro',
    buyer: mexican('Telefonía Integral de Sonora, S.A. de C.V.', '01276000118830452'),
  });
  pl.note(tag, `${paid}: ${unitPrice(inv)} a phone, above the 851713 band's p95 ($900.00) but not above p95 × 1.1 `
    + `($990.00), TBML-001's tolerance for brand and model. ${CLEAR} Must not alert.`);
}

/** (T2′) The Mexican buyer pays its own invoice for truck parts. */
export function buyerPays(pl: Planner): void {
  const { tag, paid } = exportPaid(pl, 'T2′', 'buyer-pays-own-invoice', 'TBML-002', 'Mesa Auto Parts Export LLC', {
    id: 'MAP-77120', cents: 3_646_500, hs: '8708.99.8180', quantity: 3900, unit: 'kg', bl: 'MAP-BOL-77120',
    goods: 'Steel mounting brackets and frame reinforcements for light trucks, part no. MB-5520',
    buyer: mexican('Autopartes y Servicios del Noroeste, S.A. de C.V.', '01215000604418890'),
  });
  pl.note(tag, `${paid}, by the buyer: payer_name is buyer_name exactly, so TBML-002 finds no third-party payment. `
    + `${CLEAR} Must not alert.`);
}

/** (T3′) A Mexican buyer pays a U.S. exporter from its bank in Mexico. */
export function buyerBankInMexico(pl: Planner): void {
  const { tag, inv, paid } = exportPaid(pl, 'T3′', 'buyer-bank-in-mexico', 'TBML-003', 'Desert Bloom Fragrances Inc', {
    id: 'DBF-2026-118', cents: 5_150_000, hs: '3303.00.3000', quantity: 1250, unit: 'kg', bl: 'DBF-BOL-118',
    goods: "Eau de parfum, women's fragrances, 100 ml spray bottles",
    buyer: mexican('Perfumerías Selectas de Monterrey, S.A. de C.V.', '01418000257719904'),
  });
  pl.note(tag, `${paid}, from the buyer's account at ${inv.buyer.bank[0]}, in Mexico, the buyer's and the destination's `
    + `country: TBML-003 finds the bank related to the trade. ${CLEAR} Must not alert.`);
}

/** (T4′) Denim trousers exported with a specific description and a 10-digit HTS code. */
export function specificGoods(pl: Planner): void {
  const { tag, inv, paid } = exportPaid(pl, 'T4′', 'specific-goods-description', 'TBML-004', 'Lone Star Denim Works Inc', {
    id: 'LSD-55012', cents: 4_266_000, hs: '6203.42.4011', goods: "Men's cotton denim trousers, style 501", quantity: 3600,
    unit: 'u', bl: 'LSD-BOL-55012',
    buyer: mexican('Boutiques Vaquero de Sonora, S.A. de C.V.', '01276000832204516'),
  });
  pl.note(tag, `${paid}: a specific description and a well-formed HS code; ${unitPrice(inv)} a pair is inside the 620342 `
    + `band. ${CLEAR} Must not alert.`);
}

/** (T4″) "Spare parts for …": generic words inside a specific description. */
export function sparePartsNamed(pl: Planner): void {
  const { tag, paid } = exportPaid(pl, 'T4″', 'spare-parts-named', 'TBML-004', 'Borderland Brake Parts Inc', {
    id: 'BBP-26-2047', cents: 1_606_000, hs: '8708.30.5090', quantity: 1100, unit: 'kg', bl: 'BBP-BOL-2047',
    goods: 'Spare parts for light-truck brake calipers: pistons, seals and slide pins',
    buyer: mexican('Frenos y Embragues de Saltillo, S.A. de C.V.', '07258000547716320'),
  });
  pl.note(tag, `${paid}. The description begins with "Spare parts", a generic_goods_terms entry, but TBML-004 matches `
    + `whole descriptions only, and this one names the parts. ${CLEAR} Must not alert.`);
}

/** (T5′) Televisions shipped straight from the U.S. to Mexico. */
export function directShipment(pl: Planner): void {
  const { tag, inv, paid } = exportPaid(pl, 'T5′', 'direct-shipment', 'TBML-005', 'Desert Sky Electronics LLC', {
    id: 'DSE-4418', cents: 8_122_400, hs: '8528.72.6400', goods: '55-inch LED colour televisions, 4K, model DS55-Q',
    quantity: 260, unit: 'u', bl: 'DSE-BOL-4418',
    buyer: mexican('Comercial Electrónica de Nuevo León, S.A. de C.V.', '01418000338805127'),
  });
  pl.note(tag, `${paid}, trucked across the border with no transshipment port (TBML-005 reports the leg as not evaluated: `
    + `a direct shipment and an uncaptured route look the same). ${unitPrice(inv)} a set is inside the 852872 band. `
    + `${CLEAR} Must not alert.`);
}

/** (T5″) Televisions from the U.S. to Guatemala, transshipped at Manzanillo, Mexico: not a U.S.–Mexico shipment. */
export function guatemalaViaManzanillo(pl: Planner): void {
  const buyer: Trader = {
    name: 'Distribuidora Electrónica Chapina, S.A.', country: 'GT', account: 'GT47AGRO01010000004470213385', bankCountry: 'GT',
    bank: BANKS.GT,
  };
  const { tag, inv, paid } = exportPaid(pl, 'T5″', 'guatemala-via-manzanillo', 'TBML-005', 'Pacific Coast Appliance Traders LLC', {
    id: 'PCA-26-0715', cents: 5_341_500, hs: '8528.72.6400', goods: '43-inch LED colour televisions, full HD, model PC43-F',
    quantity: 180, unit: 'u', buyer, via: ['MXZLO'], bl: 'PCAX2600715',
  }, 'GT');
  pl.note(tag, `${paid}, shipped from Long Beach and transshipped at Manzanillo, Mexico (MXZLO). MXZLO is no `
    + `free-trade-zone port, Mexico is on no FATF list, and a U.S.–Guatemala shipment is not the U.S.–Mexico route on which `
    + `any transshipment counts: TBML-005 does not fire. The buyer pays from its bank in Guatemala, its own country (no `
    + `TBML-003); Guatemala is on no FATF list (no XB-002); ${unitPrice(inv)} a set is inside the 852872 band. Must not alert.`);
}

/** (T6′) Three payments to an avocado packer, each exactly its invoice, with cents. */
export function invoiceMatchingPayments(pl: Planner): void {
  const { tag, me } = trader(pl, 'invoice-matching-payments', 'TBML-006', false, 'Border Fresh Produce Inc');
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (T6′)', pl.runs(19, 28));
  const days = [w[i]!, w[i + 9]!, w[i + 18]!];
  const seller = mexican('Empacadora de Aguacate La Meseta, S.A. de C.V.', '01410200119046623');
  const lots: [string, number, number][] = [['EAM-3120', 11_940, 223], ['EAM-3157', 17_650, 227], ['EAM-3196', 14_210, 218]];
  const invs = lots.map(([id, kg, centsPerKg]): Invoice => ({
    id, cents: kg * centsPerKg, hs: '0804.40.01', goods: 'Fresh Hass avocados, size 60, in 11.3 kg cartons', quantity: kg,
    unit: 'kg', seller, buyer: me, bl: `EAM-CP-${id.slice(4)}`,
  }));
  days.forEach((day, k) => pay(pl, tag, day, invs[k]!));
  const sent = list(days.map((d, k) => `${usd(invs[k]!.cents)} on ${pl.date(d)} (invoice ${invs[k]!.id})`));
  pl.note(tag, `(T6′) ${me.name} pays ${seller.name} ${sent}: each payment is its invoice to the cent and none is a whole `
    + `multiple of $1,000, so TBML-006 counts no round payment. Must not alert.`);
}

/** (T7′) One invoice for work trousers paid in two instalments, 30% and 70%. */
export function twoInstalments(pl: Planner): void {
  const { tag, me } = trader(pl, 'invoice-in-two-instalments', 'TBML-007', false, 'Alamo Uniform Supply Inc');
  const w = pl.period.weekdays;
  const i = pl.anchor('look-alike (T7′)', pl.runs(16, 24));
  const days = [w[i]!, w[i + 15]!];
  const inv: Invoice = {
    id: 'MTN-F-2291', cents: 4_680_000, hs: '6203.42.99', goods: "Men's cotton twill work trousers, navy, waist 30-44",
    quantity: 4800, unit: 'u', buyer: me, bl: 'MTN-CP-2291',
    seller: mexican('Maquiladora Textil del Norte, S.A. de C.V.', '01205000263317758'),
  };
  const parts = [1_404_000, 3_276_000];
  days.forEach((day, k) => pay(pl, tag, day, inv, parts[k]));
  pl.note(tag, `(T7′) ${me.name} pays ${invoiceText(inv)} in two instalments: a 30% deposit of ${usd(parts[0]!)} on `
    + `${pl.date(days[0]!)} and the 70% balance of ${usd(parts[1]!)} on ${pl.date(days[1]!)}, after shipment. The payments `
    + `referencing the invoice (and its bill of lading) total exactly its amount, not more than 1.05 × it, from one payer `
    + `through one bank: TBML-007 does not fire. Neither instalment is a whole multiple of $1,000 (no TBML-006). Must not alert.`);
}

/** (T8′) A peso invoice paid in dollars at the day's rate plus a 0.4% spread. */
export function marketRate(pl: Planner): void {
  pesoInvoice(pl, 'T8′', 'peso-invoice-at-market-rate', 'Tierra Linda Imports Inc', 2_837_936, "the bank's spread on the day's rate", {
    id: 'TAO-F-5521', cents: 48_735_000, currency: 'MXN', hs: '6109.10.01', quantity: 9000, unit: 'u', bl: 'TAO-CP-5521',
    goods: 'Embroidered cotton T-shirts, Oaxaca designs, assorted sizes',
    seller: mexican('Textiles Artesanales de Oaxaca, S.A. de C.V.', '01432000605521187'),
  });
}

/** (T8″) A peso invoice paid at the rate fixed in the purchase order, 4.1% below the day's rate. */
export function contractRate(pl: Planner): void {
  pesoInvoice(pl, 'T8″', 'peso-invoice-at-contract-rate', 'Casa Colonial Toys & Gifts LLC', 1_974_650, 'the rate fixed in the purchase order', {
    id: 'JMM-F-0815', cents: 35_500_000, currency: 'MXN', hs: '9503.00.99', quantity: 3400, unit: 'kg', bl: 'JMM-CP-0815',
    goods: 'Wooden toy trucks and pull-along animals, hand-painted',
    seller: mexican('Juguetes de Madera de Michoacán, S.A. de C.V.', '01205000774410326'),
  });
}

function pesoInvoice(pl: Planner, label: string, pattern: string, company: string, paid: number, why: string, doc: Omit<Invoice, 'buyer'>): void {
  const { tag, me } = trader(pl, pattern, 'TBML-014', false, company);
  const day = someDay(pl, `look-alike (${label})`);
  const inv: Invoice = { ...doc, buyer: me };
  pay(pl, tag, day, inv, paid);
  const worth = Math.round(inv.cents * MXN_RATE);
  pl.note(tag, `(${label}) On ${pl.date(day)} ${me.name} pays ${usd(paid)} for ${invoiceText(inv)}, at ${why}: an implied `
    + `rate of ${(paid / inv.cents).toFixed(6)} USD per peso against the reference ${MXN_RATE.toFixed(6)} of `
    + `samples/fx_rates.csv (${amount(inv.cents, 'MXN')} is ${usd(worth)}), ${(Math.abs(paid / worth - 1) * 100).toFixed(1)}% off, `
    + `within TBML-014's 5%. Below 1.05 × the invoice's value (no TBML-007), not round (no TBML-006); without --fx-rates the `
    + `leg is not evaluated. Must not alert.`);
}
