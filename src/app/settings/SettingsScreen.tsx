/** Settings for the pseudonym on screen and this device. */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { KeysExplainer } from '../identity/KeysExplainer.tsx';
import { BackLink } from '../nav/BackLink.tsx';
import { BackupSection } from './BackupSection.tsx';
import { DirectorySection } from './DirectorySection.tsx';
import { FeedFileSection } from './FeedFileSection.tsx';
import { FollowersSection } from './FollowersSection.tsx';
import { InboxSection } from './InboxSection.tsx';
import { LensesSection } from './LensesSection.tsx';
import { LockSection } from './LockSection.tsx';
import { MoveHubSection } from './MoveHubSection.tsx';
import { PrivacySection } from './PrivacySection.tsx';
import { PseudonymSection } from './PseudonymSection.tsx';
import { StorageSection } from './StorageSection.tsx';
import { ThemeSection } from './ThemeSection.tsx';

export interface SettingsScreenProps {
  readonly pseudonym: PseudonymSummary;
  readonly onImported: (p: PseudonymSummary) => void;
}

export default function SettingsScreen({ pseudonym, onImported }: SettingsScreenProps) {
  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <BackLink />
      <h1 id="settings-title" className="screen-title">
        Settings
      </h1>
      <PseudonymSection pseudonym={pseudonym} />
      <MoveHubSection pseudonym={pseudonym} />
      <PrivacySection pseudonym={pseudonym} />
      <InboxSection pseudonym={pseudonym} />
      <FollowersSection pseudonym={pseudonym} />
      <DirectorySection pseudonym={pseudonym} />
      <LensesSection pseudonym={pseudonym} />
      <BackupSection pseudonym={pseudonym} onImported={onImported} />
      <FeedFileSection pseudonym={pseudonym} />
      <LockSection />
      <StorageSection />
      <ThemeSection />
      <div className="settings-section card">
        <KeysExplainer />
      </div>
    </section>
  );
}
