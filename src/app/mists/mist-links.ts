/** The mists a post's words link to (`…/#/mists/<author>/<id>`), first two, each once: shown as cards under it. */
import type { PseudonymId } from '../../protocol/ids.ts';
import type { MistId } from '../../protocol/mists.ts';

const MIST_LINK = /#\/mists\/([0-9a-f]{64})\/([0-9a-f]{16})/g;

export interface LinkedMist {
  readonly author: PseudonymId;
  readonly id: MistId;
}

export function mistLinksIn(body: string, most = 2): LinkedMist[] {
  const found = new Map<string, LinkedMist>();
  for (const [, author, id] of body.matchAll(MIST_LINK)) {
    if (found.size >= most) break;
    found.set(`${author}/${id}`, { author: author as PseudonymId, id: id as MistId });
  }
  return [...found.values()];
}
