/**
 * Case-score modifiers (domain/typologies.md §3.0): facts about an alert's legs that raise the priority
 * of the case it joins — a FATF-listed jurisdiction, a southwest-border or GTO geography, a new account.
 * Each is judged with the reference list in force on the leg's date.
 */
import type { Txn } from '../ingest/canonical.js';
import type { ListLookup, ReferenceRegistry, ReferenceVersion } from '../rules/reference.js';
import type { Modifier } from '../store/score.js';

export interface ModifierSet {
  references: ReferenceVersion[];
  apply(legs: readonly Txn[]): Modifier[];
}

const COUNTRY_FIELDS = ['cp_country', 'cp_bank_country', 'payer_country'] as const;
const NEW_ACCOUNT_DAYS = 90;
const DAY_MS = 86_400_000;

interface Check {
  name: string;
  points: number;
  test(t: Txn): string | undefined;
}

export function compileModifiers(registry: ReferenceRegistry): ModifierSet {
  const checks: Check[] = [];
  const references: ReferenceVersion[] = [];
  const fatf = registry.get('fatf_lists');
  if (fatf) {
    references.push(fatf.info);
    checks.push(countryCheck('fatf_black', 25, fatf.list('black')!, 'FATF call-for-action jurisdiction'));
    checks.push(countryCheck('fatf_grey', 10, fatf.list('grey')!, 'FATF increased-monitoring jurisdiction'));
  }
  const geo = registry.get('geo_risk');
  if (geo) {
    references.push(geo.info);
    checks.push(geoCheck(geo.list('gto_zips')!, geo.list('gto_counties')!, geo.list('border_counties')!));
  }
  checks.push({ name: 'new_account', points: 10, test: newAccount });
  return {
    references,
    apply(legs) {
      const found: Modifier[] = [];
      for (const check of checks) {
        for (const t of legs) {
          const reason = check.test(t);
          if (reason === undefined) continue;
          found.push({ name: check.name, points: check.points, txn_id: t.txn_id, reason });
          break;
        }
      }
      return found;
    },
  };
}

function countryCheck(name: string, points: number, list: ListLookup, label: string): Check {
  return {
    name,
    points,
    test(t) {
      for (const field of COUNTRY_FIELDS) {
        const v = t.f[field];
        if (typeof v === 'string' && list(v, t)) return `${field} ${v}: ${label} on ${t.business_date}`;
      }
      const route = t.f.route_countries;
      if (Array.isArray(route)) for (const c of route) if (list(c, t)) return `route_countries ${c}: ${label} on ${t.business_date}`;
      return undefined;
    },
  };
}

function geoCheck(gtoZips: ListLookup, gtoCounties: ListLookup, borderCounties: ListLookup): Check {
  return {
    name: 'border_or_gto_area',
    points: 10,
    test(t) {
      const zip = t.f.branch_zip;
      if (typeof zip === 'string' && gtoZips(zip.slice(0, 5), t)) return `branch ZIP ${zip} is in a southwest-border GTO area on ${t.business_date}`;
      const county = t.f.branch_county_fips;
      if (typeof county === 'string' && gtoCounties(county, t)) return `branch county ${county} is in a southwest-border GTO area on ${t.business_date}`;
      if (typeof county === 'string' && borderCounties(county, t)) return `branch county ${county} borders Mexico`;
      return undefined;
    },
  };
}

function newAccount(t: Txn): string | undefined {
  const opened = t.f.account_open_date;
  if (typeof opened !== 'string') return undefined;
  const age = (t.bday * DAY_MS - Date.parse(`${opened}T00:00:00Z`)) / DAY_MS;
  return age >= 0 && age < NEW_ACCOUNT_DAYS ? `account opened ${opened}, ${Math.floor(age)} days before ${t.business_date}` : undefined;
}
