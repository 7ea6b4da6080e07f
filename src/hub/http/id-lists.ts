/**
 * Id lists in requests: `?authors=a,b` on heads and stream (at most
 * MAX_IDS_PER_REQUEST), `{ ids }` bodies on missing and batch (at most
 * MAX_BATCH_IDS), so one request cannot make the hub do unbounded work.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { type ObjectId, type PseudonymId, parseObjectId, parsePseudonymId } from '../../protocol/ids.ts';
import { MAX_BATCH_IDS, MAX_IDS_PER_REQUEST } from '../../protocol/routes.ts';

function checkCount(count: number, limit: number): void {
  if (count > limit) throw new ProtocolError('TooLarge', `${count} ids; at most ${limit} per request`);
}

/**
 * The distinct authors of `?authors=a,b` (empty parts ignored; none when absent).
 * @throws ProtocolError MalformedId, TooLarge
 */
export function authorsFromQuery(url: URL): PseudonymId[] {
  const parts = url.searchParams
    .getAll('authors')
    .flatMap((v) => v.split(','))
    .filter((p) => p !== '');
  const distinct = [...new Set(parts)];
  checkCount(distinct.length, MAX_IDS_PER_REQUEST);
  return distinct.map(parsePseudonymId);
}

/**
 * The distinct ids of a `{ ids: [...] }` body, in their order.
 * @throws ProtocolError DecodeError, MalformedId, TooLarge
 */
export function idsFromBody(body: unknown): ObjectId[] {
  const ids = (body as { ids?: unknown } | null)?.ids;
  if (!Array.isArray(ids)) throw new ProtocolError('DecodeError', 'expected { "ids": [...] }');
  const distinct = [...new Set(ids as unknown[])];
  checkCount(distinct.length, MAX_BATCH_IDS);
  return distinct.map(parseObjectId);
}
