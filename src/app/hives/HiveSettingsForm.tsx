/**
 * The owner's and moderators' settings form: name, description, rules, membership, listed. Only the fields
 * changed are sent; each is merged on its own, and any value the owner set beats a moderator's (the hive's
 * state says so, and the log shows both).
 */
import { type FormEvent, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import type { HiveCurrentSettings } from '../../protocol/hive-state.ts';
import type { HiveSettings } from '../../protocol/hives.ts';
import { useCore } from '../core/use-core.ts';
import { MembershipChoice } from './CreateHive.tsx';
import { HiveTextFields, type HiveTexts } from './HiveTextFields.tsx';
import type { ShownHive } from './hive-view.ts';
import type { HiveReader } from './use-hive.ts';

const textsOf = (s: HiveCurrentSettings): HiveTexts => ({
  name: s.name,
  description: s.description ?? '',
  rules: s.rules ?? '',
});

/** The fields of `next` that differ from `now`. */
export function changedSettings(now: HiveCurrentSettings, next: HiveCurrentSettings): HiveSettings {
  const changed: { -readonly [K in keyof HiveSettings]: HiveSettings[K] } = {};
  if (next.name !== now.name) changed.name = next.name;
  if ((next.description ?? '') !== (now.description ?? '')) changed.description = next.description ?? '';
  if ((next.rules ?? '') !== (now.rules ?? '')) changed.rules = next.rules ?? '';
  if (next.membership !== now.membership) changed.membership = next.membership;
  if (next.listed !== now.listed) changed.listed = next.listed;
  return changed;
}

export function HiveSettingsForm({
  me,
  at,
  state,
  reader,
  owner,
}: {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly state: ShownHive;
  readonly reader: HiveReader;
  /** The owner: their values win over any moderator's. */
  readonly owner: boolean;
}) {
  const core = useCore();
  const [texts, setTexts] = useState(() => textsOf(state.settings));
  const [membership, setMembership] = useState(state.settings.membership);
  const [listed, setListed] = useState(state.settings.listed);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean }>();

  async function save(event: FormEvent) {
    event.preventDefault();
    const next = {
      name: texts.name.trim(),
      description: texts.description.trim(),
      rules: texts.rules.trim(),
      membership,
      listed,
    };
    const changed = changedSettings(state.settings, next);
    if (!next.name) return setNote({ text: 'A hive needs a name.', error: true });
    if (Object.keys(changed).length === 0) return setNote({ text: 'Nothing changed.', error: false });
    setBusy(true);
    setNote(undefined);
    const result = await reader.act(
      'the new settings',
      () => core.moderateHive(me.id, at, { kind: 'settings', settings: changed }),
      (s, acted) => s.log.some((entry) => entry.stamp[1] === acted.commitId),
    );
    setBusy(false);
    setNote(result.ok ? { text: 'Saved.', error: false } : { text: result.text, error: true });
  }

  return (
    <details className="hive-section hive-settings">
      <summary className="section-title">Settings and rules</summary>
      <form className="hive-form-plain" onSubmit={save}>
        {!owner && (
          <p className="field-hint">
            A value the owner set stays as they set it: a moderator’s counts only for a field the owner never set.
          </p>
        )}
        <HiveTextFields texts={texts} onChange={setTexts} />
        <MembershipChoice value={membership} onChange={setMembership} />
        <label className="checkbox">
          <input type="checkbox" checked={listed} onChange={(e) => setListed(e.target.checked)} />
          List it in the directory of its hub
        </label>
        {note && (
          <p className={`message${note.error ? ' message-error' : ''}`} role={note.error ? 'alert' : 'status'}>
            {note.text}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </form>
    </details>
  );
}
