/** The pseudonyms held on this device, re-read when the worker says they changed. */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { type CoreQuery, useCoreQuery } from '../core/use-core-query.ts';

export function usePseudonyms(): CoreQuery<PseudonymSummary[]> {
  const core = useCore();
  return useCoreQuery(
    'pseudonyms',
    () => core.listPseudonyms(),
    (change) => change.kind === 'pseudonyms',
  );
}
