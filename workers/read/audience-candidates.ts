/**
 * Who a pseudonym can name as the readers of a post: the feeds it follows,
 * with the name and handle it knows them by, and whether this device holds
 * their DM key (a reader is sealed to it; without one, the post cannot be
 * shared with them: audience-content.ts refuses it as NoDmKey).
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { AudienceCandidate } from '../api/api-types.ts';
import type { CoreDb } from '../store/db.ts';

export async function listAudienceCandidates(db: CoreDb, pseudonym: PseudonymId): Promise<AudienceCandidate[]> {
  const follows = (await db.getAll('follows', IDBKeyRange.bound([pseudonym], [pseudonym, []]))).filter(
    (f) => f.active && f.target !== pseudonym,
  );
  const candidates = await Promise.all(
    follows.map(async (f): Promise<AudienceCandidate> => {
      const [name, dmKey] = await Promise.all([
        db.get('profiles', [f.target, 'name']),
        db.get('profiles', [f.target, 'dm_key']),
      ]);
      return {
        id: f.target,
        ...(f.handle !== undefined && { handle: f.handle }),
        ...(typeof name?.value === 'string' && { name: name.value }),
        canRead: typeof dmKey?.value === 'string',
      };
    }),
  );
  return candidates.sort((a, b) => (a.name ?? a.handle ?? a.id).localeCompare(b.name ?? b.handle ?? b.id));
}
