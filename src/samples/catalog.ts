/**
 * Static reference data of the fictitious First Border Bank: branches, names and counterparties.
 * Every business name is invented; account numbers are made up (CLABEs carry a valid check digit).
 */

export interface Branch {
  id: string;
  city: string;
  state: string;
  zip: string;
}

/** The first seven branches are in southwest-border ZIP codes. */
export const BRANCHES: readonly Branch[] = [
  { id: 'B001', city: 'San Ysidro', state: 'CA', zip: '92173' },
  { id: 'B002', city: 'Chula Vista', state: 'CA', zip: '91910' },
  { id: 'B003', city: 'Calexico', state: 'CA', zip: '92231' },
  { id: 'B004', city: 'El Paso', state: 'TX', zip: '79901' },
  { id: 'B005', city: 'Laredo', state: 'TX', zip: '78040' },
  { id: 'B006', city: 'McAllen', state: 'TX', zip: '78501' },
  { id: 'B007', city: 'Nogales', state: 'AZ', zip: '85621' },
  { id: 'B008', city: 'Phoenix', state: 'AZ', zip: '85004' },
  { id: 'B009', city: 'Dallas', state: 'TX', zip: '75201' },
  { id: 'B010', city: 'Chicago', state: 'IL', zip: '60601' },
];
export const BRANCH = { sanYsidro: 0, chulaVista: 1, calexico: 2, elPaso: 3, laredo: 4, mcAllen: 5, nogales: 6, phoenix: 7, dallas: 8, chicago: 9 } as const;
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

/** [name, account, cp_country, cp_bank_country] */
export type WireParty = readonly [string, string, string, string];

export const WIRE_DOMESTIC: readonly WireParty[] = [
  ['Acme Building Supply, Inc.', '8841203376', 'US', 'US'],
  ['Gulf Coast Title LLC', '2290017745', 'US', 'US'],
  ['Rio Valley Motors Inc', '5512098834', 'US', 'US'],
  ['Lakeshore Escrow Services', '7730412256', 'US', 'US'],
];

export const WIRE_FOREIGN: Readonly<Record<'MX' | 'GT' | 'CO', readonly WireParty[]>> = {
  MX: [
    ['Comercializadora del Norte, S.A. de C.V.', clabe('07215001234567890'), 'MX', 'MX'],
    ['Maria Elena Garza Ruiz', clabe('01218000456789123'), 'MX', 'MX'],
    ['Transportes Frontera SA de CV', clabe('01432065550123456'), 'MX', 'MX'],
    ['Jose Antonio Salinas', '6630187712', 'MX', 'US'],
  ],
  GT: [
    ['Jose Luis Cifuentes', 'GT82TRAJ01020000001210029690', 'GT', 'GT'],
    ['Exportadora Maya, S.A.', 'GT20AGRO00000000001234567890', 'GT', 'GT'],
  ],
  CO: [
    ['Distribuidora Andina S.A.S.', '05512345678', 'CO', 'CO'],
    ['Luz Marina Ospina', '24078812345', 'CO', 'CO'],
  ],
};

/** The domestic payer of look-alike (q)'s three wires. */
export const CONTRACT_PAYER: WireParty = ['Gulf Coast Builders Inc', '4470023318', 'US', 'US'];

/** Pattern (i): the sender of the wire that passes straight through, then its two beneficiaries. */
export const PASS_THROUGH: readonly [WireParty, WireParty, WireParty] = [
  ['Bayline Freight Brokers LLC', '3318820471', 'US', 'US'],
  ['Summit Ridge Holdings LLC', '6604519983', 'US', 'US'],
  ['Crescent Auto Exports Inc', '2157730864', 'US', 'US'],
];

/** A Mexican CLABE: 17 digits plus the weighted (3, 7, 1) modulus-10 check digit. */
export function clabe(first17: string): string {
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * weights[i % 3]!) % 10;
  return first17 + String((10 - (sum % 10)) % 10);
}
