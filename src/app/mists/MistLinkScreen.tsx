/**
 * A secret mist opened from its link (`#/mist/<commit>?hub=...&k=...`): fetched from the hub the link names and
 * opened on this device with the key in the URL fragment, which no server is sent. Shown whether or not this
 * browser has a pseudonym; without the key, or with another mist's, nothing is shown.
 */
import { useEffect, useState } from 'react';
import type { MistDetail } from '../../../workers/api/mists-types.ts';
import { useCore } from '../core/use-core.ts';
import type { Route } from '../nav/route.ts';
import { runAction } from '../post/run-action.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';
import { MistBody } from './MistBody.tsx';
import '../styles/mists.css';
import { MIST_LINK_ERRORS } from './mist-errors.ts';

type MistLinkRoute = Extract<Route, { name: 'mist-link' }>;
type State = { kind: 'loading' } | { kind: 'shown'; detail: MistDetail } | { kind: 'refused'; text: string };

export default function MistLinkScreen({ link }: { readonly link: MistLinkRoute }) {
  const core = useCore();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const { commit, hub, key } = link;
  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    void runAction(() => core.openMistLink({ commit, hub, key }), MIST_LINK_ERRORS).then((result) => {
      if (live) setState(result.ok ? { kind: 'shown', detail: result.value } : { kind: 'refused', text: result.text });
    });
    return () => {
      live = false;
    };
  }, [core, commit, hub, key]);
  return (
    <section className="screen mist-screen" aria-labelledby="mist-title">
      {state.kind === 'loading' && (
        <h1 id="mist-title" className="screen-title">
          Opening a secret mist…
        </h1>
      )}
      {state.kind === 'refused' && (
        <>
          <h1 id="mist-title" className="screen-title">
            This mist could not be opened
          </h1>
          <p className="message message-error" role="alert">
            {state.text}
          </p>
        </>
      )}
      {state.kind === 'shown' && (
        <MistBody
          detail={state.detail}
          who={
            <span className="person-name" title={state.detail.view.author}>
              {shortFingerprint(state.detail.view.author)}
            </span>
          }
        />
      )}
    </section>
  );
}
