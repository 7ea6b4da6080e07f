/**
 * The reply and quote composer (ComposeHost.tsx): a modal dialog showing the
 * post answered or quoted above a composer. A chunk of its own, loaded when
 * a post's Reply or Quote is first pressed.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { Markdown } from '../markdown/Markdown.tsx';
import { PersonLabel, authorOf } from '../people/PersonLabel.tsx';
import type { ComposeTarget } from '../post/post-env.ts';
import { Modal } from '../shell/Modal.tsx';
import { Composer } from './Composer.tsx';

export function ComposeDialog({
  pseudonym,
  target,
  onClose,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly target: ComposeTarget;
  readonly onClose: () => void;
}) {
  return (
    <Modal open title={target.kind === 'quote' ? 'Quote post' : 'Reply'} onClose={onClose} wide>
      <blockquote className="quoted">
        <p className="quoted-author">
          <PersonLabel person={authorOf(target.item)} />
        </p>
        <Markdown source={target.item.body} className="post-body" />
      </blockquote>
      <Composer
        key={`${target.kind}${target.item.id}`}
        pseudonym={pseudonym}
        target={target}
        autoFocus
        onPosted={onClose}
      />
    </Modal>
  );
}
