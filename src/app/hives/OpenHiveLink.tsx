/** Opening a hive by its link (as a hive page shows it to copy), pasted whole or as its `#/hives/...` part. */
import { type FormEvent, useId, useState } from 'react';
import { routeHref } from '../nav/route.ts';
import { parseHiveLink } from './hive-link.ts';

export function OpenHiveLink() {
  const ids = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  function open(event: FormEvent) {
    event.preventDefault();
    const route = parseHiveLink(text);
    if (!route) return setError('That is not a hive link: one reads …/#/hives/<hive id>?hub=<hub address>.');
    location.hash = routeHref(route);
  }
  return (
    <form className="hive-open" onSubmit={open} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="section-title">
        Open a hive
      </h2>
      <div className="hive-row">
        <label className="field hive-grow">
          <span className="field-label">Hive link</span>
          <input
            className="input"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(undefined);
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
          />
        </label>
        <button type="submit" className="button" disabled={text.trim() === ''}>
          Open hive
        </button>
      </div>
      {error && (
        <p id={`${ids}-error`} className="message message-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
