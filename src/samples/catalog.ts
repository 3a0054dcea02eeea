/**
 * Static reference data of the fictitious First Border Bank: branches, names and counterparties.
 * Every business name is invented; account numbers are made up (CLABEs carry a valid check digit).
 */

export interface Branch {
  id: string;
  city: string;
  state: string;
  zip: string;
  /** County FIPS code of the ZIP. */
  fips: string;
  /** An agent location of the bank's money-transmitter affiliate, not a bank branch. */
  msb?: true;
}

/**
 * Ten bank branches, the first seven in southwest-border ZIP codes, then four agent locations of First
 * Border Money Transfer, the bank's money-transmitter affiliate: three inside the areas of the
 * southwest-border MSB Geographic Targeting Orders (San Diego 92101, El Paso and Webb counties), one in
 * Dallas, outside them.
 */
export const BRANCHES: readonly Branch[] = [
  { id: 'B001', city: 'San Ysidro', state: 'CA', zip: '92173', fips: '06073' },
  { id: 'B002', city: 'Chula Vista', state: 'CA', zip: '91910', fips: '06073' },
  { id: 'B003', city: 'Calexico', state: 'CA', zip: '92231', fips: '06025' },
  { id: 'B004', city: 'El Paso', state: 'TX', zip: '79901', fips: '48141' },
  { id: 'B005', city: 'Laredo', state: 'TX', zip: '78040', fips: '48479' },
  { id: 'B006', city: 'McAllen', state: 'TX', zip: '78501', fips: '48215' },
  { id: 'B007', city: 'Nogales', state: 'AZ', zip: '85621', fips: '04023' },
  { id: 'B008', city: 'Phoenix', state: 'AZ', zip: '85004', fips: '04013' },
  { id: 'B009', city: 'Dallas', state: 'TX', zip: '75201', fips: '48113' },
  { id: 'B010', city: 'Chicago', state: 'IL', zip: '60601', fips: '17031' },
  { id: 'M001', city: 'San Diego', state: 'CA', zip: '92101', fips: '06073', msb: true },
  { id: 'M002', city: 'El Paso', state: 'TX', zip: '79905', fips: '48141', msb: true },
  { id: 'M003', city: 'Laredo', state: 'TX', zip: '78046', fips: '48479', msb: true },
  { id: 'M004', city: 'Dallas', state: 'TX', zip: '75211', fips: '48113', msb: true },
];
export const BRANCH = {
  sanYsidro: 0, chulaVista: 1, calexico: 2, elPaso: 3, laredo: 4, mcAllen: 5, nogales: 6, phoenix: 7, dallas: 8, chicago: 9,
  agentSanDiego: 10, agentElPaso: 11, agentLaredo: 12, agentDallas: 13,
} as const;
/** Bank branches are 0..BANK_BRANCHES-1; agent locations follow. */
export const BANK_BRANCHES = 10;
export const TELLERS_PER_BRANCH = 3;

export const FIRST_NAMES = [
  'Maria', 'Jose', 'Juan', 'Luis', 'Ana', 'Carlos', 'Guadalupe', 'Jesus', 'Rosa', 'Miguel', 'Francisco', 'Elena',
  'Jorge', 'Patricia', 'Ricardo', 'Laura', 'Daniel', 'Sofia', 'Alejandro', 'Gabriela', 'James', 'Mary', 'Robert',
  'Linda', 'Michael', 'Jennifer', 'David', 'Susan', 'John', 'Karen', 'Brian', 'Ashley', 'Kevin', 'Emily', 'Hector',
  'Veronica', 'Arturo', 'Claudia', 'Raul', 'Teresa',
] as const;

export const LAST_NAMES = [
  'Garcia', 'Martinez', 'Rodriguez', 'Hernandez', 'Lopez', 'Gonzalez', 'Perez', 'Sanchez', 'Ramirez', 'Torres',
  'Flores', 'Rivera', 'Gomez', 'Diaz', 'Reyes', 'Morales', 'Cruz', 'Ortiz', 'Gutierrez', 'Chavez', 'Ramos', 'Ruiz',
  'Mendoza', 'Castillo', 'Vasquez', 'Salas', 'Soto', 'Delgado', 'Aguilar', 'Medina', 'Smith', 'Johnson', 'Williams',
  'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Nguyen', 'Kim', 'Patel', 'Walsh', 'Novak',
] as const;

export const MERCHANTS = [
  'QuickFuel #118', 'Border Foods Market', 'Farmacia San Jose', 'Pan Dulce Bakery', 'Sun Country Hardware',
  'Metro Cinema 8', 'Valley Tire & Lube', 'La Michoacana Paleteria', 'StreamFlix', 'Online Marketplace',
  'Desert Diner', 'Casa Linda Furniture', 'Westside Laundry', 'Rio Pharmacy #22', 'City Parking Garage',
  'Skyway Air', 'Frontera Wireless Store', 'Tacos Los Altos', 'Dollar Corner #45', 'Lone Star Grocery #9',
] as const;

export const EMPLOYERS = [
  'Rio Grande Logistics Inc', 'Desert Sun Health System', 'Frontera Freight Lines', 'Paso del Norte Schools',
  'Valley Produce Packers', 'Sonoran Tile Co', 'Lakeshore Staffing LLC', 'Metro Transit Authority',
  'Border Customs Brokerage', 'Tri-County Public Schools', 'Gulf States Warehousing',
] as const;

export const BILLERS = [
  'Border Electric Co', 'Valley Water District', 'Southwest Gas & Light', 'Lone Star Wireless', 'Desert Auto Finance',
  'Frontier Home Insurance', 'Rio Mortgage Servicing', 'Sunbelt Student Loans', 'City Waste Services',
] as const;

export const CHECK_PAYERS = [
  'Garza Roofing LLC', 'Hidalgo Insurance Agency', 'Alvarez Family Trust', 'Prime Rentals, LLC', 'St. Mary Parish',
  'Northside Auto Body',
] as const;

export const CHECK_PAYEES = [
  'Las Palmas Apartments', 'Dr. Elena Varga DDS', 'Rio Grande Landscaping', 'Northside Auto Body',
  'Cruz & Sons Plumbing', 'Tri-County Tax Office',
] as const;

/** [cp_name, cp_account, cp_country, cp_bank_country, cp_bank_name?, cp_bank_bic?, intermediary_bics?] */
export type WireParty = readonly [string, string, string, string, ...string[]];

/** Banks behind the counterparty accounts: Mexican ones by CLABE bank code, others by name. */
export const BANKS = {
  '002': ['Banco Nacional de Mexico (Banamex)', 'BNMXMXMM'],
  '012': ['BBVA Mexico', 'BCMRMXMM'],
  '014': ['Banco Santander Mexico', 'BMSXMXMM'],
  '021': ['HSBC Mexico', 'BIMEMXMM'],
  '072': ['Banco Mercantil del Norte (Banorte)', 'MENOMXMT'],
  '127': ['Banco Azteca', ''],
  GT: ['Banco Agromercantil de Guatemala', ''],
  GT2: ['Banco de los Trabajadores', ''],
  GT3: ['Banco de Desarrollo Rural (Banrural)', ''],
  CO: ['Bancolombia', 'COLOCOBM'],
  CO2: ['Banco de Bogota', 'BBOGCOBB'],
  HN: ['Banco Atlantida', ''],
  SV: ['Banco Agricola', ''],
  VE: ['Banco del Orinoco', ''],
  US: ['Frontera Community Bank', ''],
} as const satisfies Record<string, readonly [string, string]>;

/** Mexican CLABE bank codes of the background's family beneficiaries. */
export const MX_BANK_CODES = ['002', '012', '014', '021', '072', '127'] as const;

/** A party whose account is a CLABE, with the bank its first three digits name. */
function mx(name: string, first17: string): WireParty {
  const account = clabe(first17);
  return [name, account, 'MX', 'MX', ...BANKS[account.slice(0, 3) as (typeof MX_BANK_CODES)[number]]];
}

export const WIRE_DOMESTIC: readonly WireParty[] = [
  ['Acme Building Supply, Inc.', '8841203376', 'US', 'US', 'Lone Star Commerce Bank'],
  ['Gulf Coast Title LLC', '2290017745', 'US', 'US', 'Gulf Coast National Bank'],
  ['Rio Valley Motors Inc', '5512098834', 'US', 'US', 'Rio Valley State Bank'],
  ['Lakeshore Escrow Services', '7730412256', 'US', 'US', 'Lakeshore Trust Company'],
];

export const WIRE_FOREIGN: Readonly<Record<'MX' | 'GT' | 'CO', readonly WireParty[]>> = {
  MX: [
    mx('Comercializadora del Norte, S.A. de C.V.', '07215001234567890'),
    mx('Maria Elena Garza Ruiz', '01218000456789123'),
    mx('Transportes Frontera SA de CV', '01432065550123456'),
    ['Jose Antonio Salinas', '6630187712', 'MX', 'US', ...BANKS.US],
  ],
  GT: [
    ['Jose Luis Cifuentes', 'GT82TRAJ01020000001210029690', 'GT', 'GT', ...BANKS.GT2, 'CITIUS33'],
    ['Exportadora Maya, S.A.', 'GT20AGRO00000000001234567890', 'GT', 'GT', ...BANKS.GT, 'CITIUS33'],
  ],
  CO: [
    ['Distribuidora Andina S.A.S.', '05512345678', 'CO', 'CO', ...BANKS.CO, 'CITIUS33'],
    ['Luz Marina Ospina', '24078812345', 'CO', 'CO', ...BANKS.CO2, 'CITIUS33'],
  ],
};

/** The domestic payer of look-alike (q)'s three wires. */
export const CONTRACT_PAYER: WireParty = ['Gulf Coast Builders Inc', '4470023318', 'US', 'US', 'Gulf Coast National Bank'];

/** Pattern (i): the sender of the wire that passes straight through, then its two beneficiaries. */
export const PASS_THROUGH: readonly [WireParty, WireParty, WireParty] = [
  ['Bayline Freight Brokers LLC', '3318820471', 'US', 'US', 'Lone Star Commerce Bank'],
  ['Summit Ridge Holdings LLC', '6604519983', 'US', 'US', 'Lakeshore Trust Company'],
  ['Crescent Auto Exports Inc', '2157730864', 'US', 'US', 'Gulf Coast National Bank'],
];

/** The XB-004 look-alike's sender and its two beneficiaries (two pass-throughs, not three). */
export const TWO_PASSES: readonly [WireParty, WireParty, WireParty] = [
  ['Harbor Point Logistics LLC', '3318820588', 'US', 'US', 'Lone Star Commerce Bank'],
  ['Mesa Verde Trading Co', '6604519071', 'US', 'US', 'Lakeshore Trust Company'],
  ['Pinewood Equipment Sales Inc', '2157730915', 'US', 'US', 'Gulf Coast National Bank'],
];

/** A Mexican CLABE: 17 digits plus the weighted (3, 7, 1) modulus-10 check digit. */
export function clabe(first17: string): string {
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * weights[i % 3]!) % 10;
  return first17 + String((10 - (sum % 10)) % 10);
}
