/**
 * The top of a hive's page: its name, description and rules, how many take part and how it admits them, where
 * the viewer stands (owner, moderator, member, waiting, banned, not a member) with join or leave, and its link.
 */
import { useId, useState } from 'react';
import { useCore } from '../core/use-core.ts';
import { hiveLinkOf } from './hive-link.ts';
import { admittedCount, standingOf } from './hive-view.ts';
import type { HiveSectionProps } from './use-hive.ts';

export function HiveAbout({ me, at, state, standing, reader }: HiveSectionProps) {
  const core = useCore();
  const ids = useId();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { settings } = state;
  const count = admittedCount(state);
  const link = hiveLinkOf(`${location.origin}${location.pathname}`, at);

  async function member(action: 'join' | 'leave') {
    setBusy(true);
    setNote(undefined);
    const joining = action === 'join';
    const result = await reader.act(
      joining ? 'your join' : 'your leaving',
      () => (joining ? core.joinHive(me.id, at) : core.leaveHive(me.id, at)),
      (s) => standingOf(s, me.id).joined === joining,
    );
    setBusy(false);
    if (!result.ok) setNote(result.text);
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setNote('Link copied.');
    } catch {
      setNote('Copy it from the box: the browser would not.');
    }
  }

  return (
    <header className="hive-about">
      <h1 id="hive-title" className="screen-title">
        <bdi>{settings.name}</bdi>
      </h1>
      {settings.description && <p className="hive-text">{settings.description}</p>}
      <p className="hive-meta">
        <span data-testid="hive-members">
          {count} {count === 1 ? 'member' : 'members'}
        </span>
        {' · '}
        {settings.membership === 'open' ? 'open to all who join' : 'members by approval'}
        {settings.listed && ' · listed'}
        {' · You: '}
        <strong data-testid="hive-role">{standing.words}</strong>
      </p>
      <div className="hive-row">
        {!standing.joined && !standing.moderates && (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => member('join')}>
            Join
          </button>
        )}
        {standing.joined && (
          <button type="button" className="button" disabled={busy} onClick={() => member('leave')}>
            Leave
          </button>
        )}
      </div>
      {note && (
        <p className="message" role="status">
          {note}
        </p>
      )}
      {settings.rules && (
        <details className="hive-rules" open>
          <summary>Rules</summary>
          <p className="hive-text">{settings.rules}</p>
        </details>
      )}
      <div className="field">
        <label className="field-label" htmlFor={`${ids}-link`}>
          The hive’s link: whoever has it can read the hive and ask to join
        </label>
        <div className="hive-row">
          <input id={`${ids}-link`} className="input hive-grow mono" readOnly value={link} data-testid="hive-link" />
          <button type="button" className="button" onClick={copy}>
            Copy
          </button>
        </div>
      </div>
    </header>
  );
}
