/** A feed named as this device knows it: profile name or handle, else a short fingerprint. */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';

export function usePersonName(viewer: PseudonymId, id: PseudonymId): string {
  const core = useCore();
  const { data } = useCoreQuery(
    `name:${viewer}:${id}`,
    () => core.findProfile(viewer, id),
    (c) => c.kind === 'profile' && c.pseudonym === id,
  );
  return data?.name?.trim() || data?.handle || shortFingerprint(id);
}
