/** The pseudonyms on this device as the UI sees them: no key material, no crypto. */
import type { PseudonymSummary } from '../api/api-types.ts';
import type { CoreDb, PseudonymRow } from '../store/db.ts';

export function summaryOf(row: PseudonymRow): PseudonymSummary {
  return {
    id: row.id,
    name: row.name,
    hubs: [...row.hubs],
    createdAt: row.createdAt,
    ...(row.handle !== undefined && { handle: row.handle }),
  };
}

export async function listPseudonyms(db: CoreDb): Promise<PseudonymSummary[]> {
  const rows = await db.getAll('pseudonyms');
  return rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map(summaryOf);
}
