/**
 * Who is on screen, and switching in one tap: the identity card is the face
 * of a native <select> laid over it (the system picker on phones, a keyboard
 * friendly list everywhere), plus "New pseudonym".
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { Avatar } from './Avatar.tsx';
import { pseudonymLabel } from './pseudonym-label.ts';

export interface PseudonymSwitcherProps {
  readonly pseudonyms: readonly PseudonymSummary[];
  readonly active: PseudonymSummary;
  readonly onSelect: (id: PseudonymId) => void;
  readonly onNew: () => void;
}

export function PseudonymSwitcher({ pseudonyms, active, onSelect, onNew }: PseudonymSwitcherProps) {
  return (
    <div className="switcher">
      <div className="identity">
        <Avatar id={active.id} label={pseudonymLabel(active)} />
        <div className="identity-text">
          <span className="identity-name">{active.name.trim() || pseudonymLabel(active)}</span>
          {active.handle ? (
            <span className="identity-handle" data-testid="current-handle">
              {active.handle}
            </span>
          ) : (
            <span className="identity-handle identity-nohandle">No handle yet</span>
          )}
        </div>
        <svg
          className="identity-chevron"
          viewBox="0 0 20 20"
          width="18"
          height="18"
          aria-hidden="true"
          focusable="false"
        >
          <path
            d="M6 8l4 4 4-4"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <select
          className="identity-select"
          aria-label="Pseudonym"
          value={active.id}
          onChange={(e) => onSelect(e.target.value as PseudonymId)}
        >
          {pseudonyms.map((p) => (
            <option key={p.id} value={p.id}>
              {pseudonymLabel(p)}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button button-secondary switcher-new" onClick={onNew} title="New pseudonym">
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
        </svg>
        <span className="switcher-new-label">New pseudonym</span>
      </button>
    </div>
  );
}
