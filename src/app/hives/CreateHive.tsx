/**
 * Making a hive: its name, description and rules, open or approval membership, and whether it asks directories
 * to list it. The worker derives the hive's key, signs its charter with it and opens its board on the owner's
 * hubs; the new hive's page opens (and reads until its hub has the charter).
 */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { HIVE_LIMITS, type HiveMembership } from '../../protocol/hives.ts';
import { useCore } from '../core/use-core.ts';
import { hiveHref } from '../nav/route.ts';
import { runAction } from '../post/run-action.ts';
import { HiveTextFields, type HiveTexts } from './HiveTextFields.tsx';
import { HIVE_ERRORS } from './hive-errors.ts';

export function CreateHive({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const ids = useId();
  const [texts, setTexts] = useState<HiveTexts>({ name: '', description: '', rules: '' });
  const [membership, setMembership] = useState<HiveMembership>('open');
  const [listed, setListed] = useState(false);
  const [handle, setHandle] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = texts.name.trim();
    if (!name || sending) return;
    setSending(true);
    setError(undefined);
    const result = await runAction(
      () =>
        core.createHive(pseudonym.id, {
          name,
          membership,
          listed,
          ...(listed && handle.trim() && { handle: handle.trim() }),
          ...(texts.description.trim() && { description: texts.description.trim() }),
          ...(texts.rules.trim() && { rules: texts.rules.trim() }),
        }),
      HIVE_ERRORS,
    );
    setSending(false);
    if (!result.ok) return setError(result.text);
    location.hash = hiveHref(result.value);
  }

  return (
    <form className="hive-form" onSubmit={submit} aria-labelledby={`${ids}-title`} data-testid="create-hive">
      <h2 id={`${ids}-title`} className="section-title">
        Make a hive
      </h2>
      <HiveTextFields texts={texts} onChange={setTexts} />
      <MembershipChoice value={membership} onChange={setMembership} />
      <label className="checkbox">
        <input type="checkbox" checked={listed} onChange={(e) => setListed(e.target.checked)} />
        List it in the directory of your hub
      </label>
      {listed && (
        <label className="field">
          <span className="field-label">Its handle there (optional: made from its name)</span>
          <input
            className="input"
            value={handle}
            maxLength={32}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setHandle(e.target.value)}
          />
        </label>
      )}
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={sending || texts.name.trim() === ''}>
        {sending ? 'Making the hive…' : 'Make hive'}
      </button>
      <p className="field-hint">
        Up to {HIVE_LIMITS.nameChars} characters of name. You own it: your decisions are signed with the hive’s own key,
        and members keep posting while you are away.
      </p>
    </form>
  );
}

export function MembershipChoice({
  value,
  onChange,
}: {
  readonly value: HiveMembership;
  readonly onChange: (next: HiveMembership) => void;
}) {
  const ids = useId();
  const options: readonly (readonly [HiveMembership, string])[] = [
    ['open', 'Open: whoever joins is a member'],
    ['approval', 'By approval: a member once you or a moderator approves'],
  ];
  return (
    <fieldset className="radio-group">
      <legend className="field-label">Membership</legend>
      {options.map(([option, label]) => (
        <label key={option} className="checkbox">
          <input
            type="radio"
            name={`${ids}-membership`}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />{' '}
          {label}
        </label>
      ))}
    </fieldset>
  );
}
