/** The app bar: name, the pseudonym on screen with its switcher, and the sync badge. */
import { Suspense, lazy } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { PseudonymSwitcher } from '../identity/PseudonymSwitcher.tsx';
import { SyncStatus } from '../sync/SyncStatus.tsx';
import { LogoMark } from './LogoMark.tsx';

// Only a pseudonym without a handle shows it: loaded then, not with every first screen.
const ClaimHandle = lazy(() => import('../identity/ClaimHandle.tsx').then((m) => ({ default: m.ClaimHandle })));

export interface AppHeaderProps {
  readonly pseudonyms: readonly PseudonymSummary[];
  readonly active: PseudonymSummary | undefined;
  /** While onboarding shows, the header's own claim form steps aside. */
  readonly onboarding: boolean;
  readonly onSelect: (id: PseudonymId) => void;
  readonly onNew: () => void;
  readonly onClaimed: () => void;
}

export function AppHeader({ pseudonyms, active, onboarding, onSelect, onNew, onClaimed }: AppHeaderProps) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <div className="brand">
          <LogoMark className="brand-mark" />
          <span className="brand-name">Murmur</span>
        </div>
        {active && <SyncStatus key={active.id} pseudonym={active.id} />}
        {active && <PseudonymSwitcher pseudonyms={pseudonyms} active={active} onSelect={onSelect} onNew={onNew} />}
        {active && !active.handle && !onboarding && (
          <Suspense fallback={null}>
            <ClaimHandle key={active.id} pseudonym={active} onClaimed={onClaimed} />
          </Suspense>
        )}
      </div>
    </header>
  );
}
