/** The pseudonym's mutes, blocks and other private settings, read again on every 'private' notice. */
import type { PrivateSettings } from '../../../workers/private/types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { type CoreQuery, useCoreQuery } from '../core/use-core-query.ts';

export function usePrivateSettings(pseudonym: PseudonymId): CoreQuery<PrivateSettings> {
  const core = useCore();
  return useCoreQuery(
    `private:${pseudonym}`,
    () => core.getPrivateSettings(pseudonym),
    (change) => change.kind === 'private' && change.pseudonym === pseudonym,
  );
}
