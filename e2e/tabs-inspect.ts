/** Small reads of a hub for the many-tab and durability specs (beside hub-inspect.ts, which they also use). */
import { encodeCanonical } from '../src/protocol/canonical.ts';
import { decodeHead, verifyHead } from '../src/protocol/heads.ts';
import type { CommitId, PseudonymId } from '../src/protocol/ids.ts';
import { nobleVerify } from '../src/protocol/keys.ts';

export { postsOnHub, resolveHandle } from './hub-inspect.ts';

/** The commit ids the hub's verified head names for `author` (empty when it has none). */
export async function headOnHubIds(hubUrl: string, author: PseudonymId): Promise<readonly CommitId[]> {
  const answer = (await (await fetch(`${hubUrl}/v1/heads?authors=${author}`)).json()) as {
    heads: Record<string, unknown>;
  };
  const json = answer.heads[author];
  if (!json) return [];
  const head = decodeHead(encodeCanonical(json));
  if (!(await verifyHead(head, nobleVerify))) throw new Error('head signature fails');
  return head.head.heads;
}
