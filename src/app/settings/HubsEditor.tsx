/**
 * The hubs of one pseudonym: home first (fixed), then the others its feed is
 * copied to, each removable, and a form to add one. The worker copies the
 * whole feed to a new hub and names any that cannot be reached in the sync badge.
 */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { HubAddressField } from './HubAddressField.tsx';

export function HubsEditor({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const [address, setAddress] = useState('');
  const [note, setNote] = useState<string>();
  const ids = useId();
  const [home, ...others] = pseudonym.hubs;

  async function save(next: readonly string[], done: string) {
    const result = await runAction(() => core.setOtherHubs(pseudonym.id, next));
    setNote(result.ok ? done : result.text);
    return result.ok;
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const hub = address.trim();
    if (await save([...others, hub], `Added ${hub}: your posts are being copied there`)) setAddress('');
  }

  return (
    <>
      <ul className="hub-list" data-testid="hub-list">
        <li>{home} (home)</li>
        {others.map((hub) => (
          <li key={hub}>
            {hub}{' '}
            <button
              type="button"
              className="button button-quiet button-small"
              aria-label={`Remove ${hub}`}
              onClick={() =>
                void save(
                  others.filter((h) => h !== hub),
                  `Removed ${hub}`,
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="settings-form" onSubmit={add}>
        <HubAddressField
          id={`${ids}-hub`}
          label="Also copy my posts to the hub at"
          value={address}
          onChange={setAddress}
        />
        <div className="settings-row">
          <button type="submit" className="button button-secondary" disabled={address.trim() === ''}>
            Add hub
          </button>
        </div>
        <p className="field-hint" role="status">
          {note}
        </p>
      </form>
    </>
  );
}
