/**
 * Where the money goes: a wire to Myanmar (XB-001, FATF black list), to Venezuela (XB-002, grey list), to a
 * Mexican company at a bank under a FinCEN Section 2313a order (MXCASH-005), and many customers paying one
 * company in Mexico (XB-006), each with a look-alike: Thailand, Venezuela expected by the customer's
 * profile, a U.S. company called Vector, four customers. Every amount carries cents (no XB-005).
 */
import { BANKS, BRANCH, BRANCHES, clabe, type WireParty } from './catalog.js';
import { Kind } from './legs.js';
import { list, type Planner, usd } from './plan.js';
import { total } from './planted.js';
import { relative } from './profile.js';
import { fanIn, pair } from './shapes.js';

/** The first FATF lists in rules/reference (fatf_lists.json), and the Section 2313a orders' effective date. */
const FATF_FROM = '2025-10-24';
const ORDERS_FROM = '2025-10-20';

/** One wire out to `to`, not before `from`; returns the sentence that describes it. */
function oneWire(pl: Planner, tag: number, to: WireParty, cents: number, what: string, from = FATF_FROM): string {
  const [day] = pl.daysAt(what, [0], from);
  pl.pop.home[pl.cases[tag - 1]!.cust] = BRANCH.nogales;
  pl.wire(tag, day!, Kind.wireOut, cents, pl.party(to));
  return `A wire of ${usd(cents)} on ${pl.date(day!)} to ${to[0]} (${to[2]}), account ${to[1]} at ${to[4]} (${to[3]})`;
}

export function blackListWire(pl: Planner): void {
  const tag = pl.open('xb-001-myanmar', 'XB-001', true, pl.customer());
  const to: WireParty = ['Golden Teak Trading Co., Ltd.', '0021600123456789', 'MM', 'MM', 'Irrawaddy Trade Bank'];
  const sent = oneWire(pl, tag, to, 487_015, 'pattern XB-001');
  pl.note(tag, `${sent}. Myanmar is on the FATF list of high-risk jurisdictions subject to a call for action: XB-001 (severity 80).`);
}

export function neighbourWire(pl: Planner): void {
  const tag = pl.open('wire-to-thailand', 'XB-001', false, pl.customer());
  const to: WireParty = ['Siam Teak Furniture Co., Ltd.', '1234567890', 'TH', 'TH', 'Bangkok Bank', 'BKKBTHBK'];
  const sent = oneWire(pl, tag, to, 487_015, 'look-alike XB-001');
  pl.note(tag, `${sent}: the same payment for teak furniture to Myanmar's neighbour, which is on no FATF list. Must not alert.`);
}

/** A wire to a company in Venezuela; a wire to a relative there by a customer whose profile expects Venezuela. */
export const [greyListWire, greyListExpected] = pair((pl, alert) => {
  const c = pl.customer();
  const tag = pl.open(alert ? 'xb-002-venezuela' : 'venezuela-expected', 'XB-002', alert, c);
  pl.pop.countries[c] = alert ? '' : 'VE';
  const to: WireParty = alert
    ? ['Inversiones Caribe Import C.A.', '01050012345678901234', 'VE', 'VE', ...BANKS.VE] : relative(pl.rng, 'VE');
  const sent = oneWire(pl, tag, to, alert ? 524_080 : 410_055, alert ? 'pattern XB-002' : 'look-alike XB-002');
  pl.note(tag, alert
    ? `${sent}. Venezuela is on the FATF grey list, the wire is at least $3,000, and the customer's profile expects no `
      + `dealings with Venezuela: XB-002.`
    : `${sent}. The customer's profile lists Venezuela among the expected countries (family there), so the grey-list `
      + `transfer is explained. Must not alert.`);
});

/** A wire to a Mexican importer whose account is at Intercam Banco; a wire to a U.S. company named Vector. */
export function designatedBank(pl: Planner): void {
  const tag = pl.open('mxcash-005-intercam', 'MXCASH-005', true, pl.customer());
  const to: WireParty = ['Importadora Textil del Bajio SA de CV', clabe('13618000123456789'), 'MX', 'MX',
    'Intercam Banco, S.A., Institucion de Banca Multiple'];
  const sent = oneWire(pl, tag, to, 1_842_075, 'pattern MXCASH-005', ORDERS_FROM);
  pl.note(tag, `${sent}. Intercam Banco is named in a FinCEN Section 2313a order (in force from 2025-10-20): every transmittal `
    + `of funds to or from it is prohibited: MXCASH-005 (severity 100).`);
}

export function vectorLookalike(pl: Planner): void {
  const tag = pl.open('vector-logistics', 'MXCASH-005', false, pl.customer());
  const to: WireParty = ['Vector Logistics LLC', '4471093358', 'US', 'US', 'Lone Star Commerce Bank'];
  const sent = oneWire(pl, tag, to, 731_520, 'look-alike MXCASH-005');
  pl.note(tag, `${sent}. "Vector" alone is also the name of a Section 2313a institution (Vector Casa de Bolsa), but this `
    + `is a U.S. company at a U.S. bank with no Mexican context (no CLABE, no MX country, no "casa de bolsa"). Must not alert.`);
}

/** Five customers in three states wire to one produce exporter in Mexico within three weeks; four of them. */
export const [manyCustomersOneBeneficiary, fourCustomersOneBeneficiary] = pair((pl, alert) => {
  const amounts = alert ? [348_035, 411_560, 326_090, 387_515, 339_040] : [452_035, 398_560, 426_090, 371_515];
  const [name, first17] = alert
    ? ['Agroexportadora San Quintin SA de CV', '07202800987654321'] : ['Empacadora Valle del Fuerte SA de CV', '01274400765432109'];
  const to = pl.party([name, clabe(first17), 'MX', 'MX', ...BANKS[first17.slice(0, 3) as '072' | '012']]);
  const homes = [BRANCH.laredo, BRANCH.nogales, BRANCH.calexico, BRANCH.mcAllen, BRANCH.phoenix];
  const f = fanIn(pl, {
    pattern: alert ? 'xb-006-many-customers' : 'four-customers-one-beneficiary', rule: 'XB-006', alert, amounts,
    take: () => pl.customer(), homes, to, offsets: [0, 4, 7, 14, 18],
    send: (tag, day, cents, c) => pl.wire(tag, day, Kind.wireOut, cents, to, undefined, c),
  });
  const states = list([...new Set(homes.slice(0, amounts.length).map((b) => BRANCHES[b]!.state))]);
  const head = `${f.text}, a produce exporter in Mexico, by wire: ${usd(total(amounts))} in all, from customers at home in ${states}`;
  pl.note(f.tag, alert
    ? `${head}. Within 30 days at least five customers in at least two states pay one beneficiary abroad at least $10,000: `
      + `XB-006, whose alert names the beneficiary's account. Each wire is above $3,000 (REMIT-003's average is not met).`
    : `${head}. Four customers, one short of XB-006's five. Must not alert.`);
});
