/** The pseudonym's mutes, blocks and other private settings, read again on every 'private' notice. */
import type { PrivateSettings } from '../../../workers/private/types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { core } from '../../client/core.ts';
import { type CoreQuery, useCoreQuery } from '../core/use-core-query.ts';

export function usePrivateSettings(pseudonym: PseudonymId): CoreQuery<PrivateSettings> {
  return useCoreQuery(
    `private:${pseudonym}`,
    () => core.getPrivateSettings(pseudonym),
    (change) => change.kind === 'private' && change.pseudonym === pseudonym,
  );
}
