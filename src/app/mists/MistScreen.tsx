/**
 * One mist's page (`#/mists/<author>/<id>?v=<n>`): the shown version (the latest unless one is chosen), every
 * version, where it was forked from and the forks this device has seen, and what the viewer may do: fork it
 * (someone else's public mist), share it in a post, embed it elsewhere; for its author, a new version, the
 * secret link, and deleting it.
 */
import { useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { MistDetail } from '../../../workers/api/mists-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { MistId } from '../../protocol/mists.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { mistHref, routeHref } from '../nav/route.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';
import { usePerson } from '../people/use-person.ts';
import { LateSpinner } from '../shell/LateSpinner.tsx';
import { MistActions } from './MistActions.tsx';
import { MistBody } from './MistBody.tsx';
import { MistLineage } from './MistLineage.tsx';
import '../styles/mists.css';
import { MIST_ERRORS } from './mist-errors.ts';

export default function MistScreen({
  pseudonym,
  author,
  id,
  version,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly author: PseudonymId;
  readonly id: MistId;
  readonly version: number | undefined;
}) {
  const core = useCore();
  const me = pseudonym.id;
  const person = usePerson(me, author);
  const mist = useCoreQuery(
    `mist:${me}:${author}:${id}:${version ?? ''}`,
    () => core.getMist(me, author, id, version),
    (c) => c.kind === 'timeline' && c.pseudonym === me,
  );
  const result = mist.data;
  return (
    <section className="screen mist-screen" aria-labelledby="mist-title">
      <p>
        <a href={routeHref({ name: 'mists', scope: 'following' })}>← Mists</a>
      </p>
      {result === undefined && mist.error === undefined && (
        <p className="screen-message">
          <LateSpinner /> Opening the mist…
        </p>
      )}
      {mist.error !== undefined && result === undefined && (
        <p className="message message-error" role="alert">
          Could not open this mist: {describeError('load', mist.error)}
        </p>
      )}
      {result && !result.ok && (
        <>
          <h1 id="mist-title" className="screen-title">
            Mist not found
          </h1>
          <p className="message message-error" role="alert">
            {describeFailure(MIST_ERRORS, result.error, result.message)}
          </p>
        </>
      )}
      {result?.ok && (
        <Shown
          pseudonym={pseudonym}
          detail={result.value}
          who={<PersonLabel person={{ ...person, handle: person.handle ?? result.value.view.handle ?? undefined }} />}
        />
      )}
    </section>
  );
}

function Shown({ pseudonym, detail, who }: { pseudonym: PseudonymSummary; detail: MistDetail; who: React.ReactNode }) {
  const { view } = detail;
  const [note, setNote] = useState<string>();
  return (
    <MistBody detail={detail} who={who}>
      <MistLineage viewer={pseudonym.id} detail={detail} />
      {detail.history.length > 1 && (
        <details className="mist-versions" open={detail.shown !== detail.history.length - 1}>
          <summary>
            Version {detail.shown + 1} of {detail.history.length}
          </summary>
          <ol aria-label="Versions">
            {detail.history.map((v, i) => (
              <li key={v.object}>
                <a
                  href={mistHref(view.author, view.id, i === detail.history.length - 1 ? undefined : i)}
                  aria-current={i === detail.shown ? 'page' : undefined}
                >
                  <bdi>{v.name}</bdi> · {v.size} bytes · {new Date(v.ts).toLocaleString()}
                </a>
              </li>
            ))}
          </ol>
        </details>
      )}
      <MistActions pseudonym={pseudonym} detail={detail} onNote={setNote} />
      {note && (
        <p className="message" role="status">
          {note}
        </p>
      )}
    </MistBody>
  );
}
