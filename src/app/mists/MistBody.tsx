/**
 * A mist opened: its title, author and type, the verified mark (the worker shows nothing it did not verify: the
 * commit's signature, the version's hash, the file against the version), its description and tags, and its
 * file, highlighted when it is text and offered as a download either way. Shared by the mist's page and a secret
 * mist's link page.
 */
import type { ReactNode } from 'react';
import type { MistDetail } from '../../../workers/api/mists-types.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';
import { VerifiedMark } from '../post/VerifiedMark.tsx';
import { formatRelativeTime } from '../timeline/relative-time.ts';
import { CodeView } from './CodeView.tsx';
import { kindOf } from './MistCard.tsx';

/**
 * Saves `bytes` as `name`. The Blob URL is made on the click and used by an anchor that never enters the page,
 * then revoked: the page holds no link a file could be opened through, and application/octet-stream makes the
 * browser save it, never render it (a file may be HTML or SVG).
 */
function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function MistBody({ detail, who, children }: { detail: MistDetail; who: ReactNode; children?: ReactNode }) {
  const { view } = detail;
  const title = view.title ?? detail.name;
  return (
    <div className="mist-body" data-mist={view.id}>
      <header className="mist-header">
        <h1 id="mist-title" className="screen-title">
          <bdi>{title}</bdi>
        </h1>
        <p className="mist-byline">
          {who} <VerifiedMark />
          {' · '}
          <span data-testid="mist-kind">{kindOf(detail)}</span>
          {' · '}
          <time dateTime={new Date(view.updated).toISOString()}>{formatRelativeTime(view.updated, Date.now())}</time>
          {view.secret && <span className="mist-secret"> · secret: readable only with its link</span>}
          {view.agent && (
            <span data-testid="mist-agent">
              {' · shared by agent '}
              <bdi>{view.agent.name ?? shortFingerprint(view.agent.id)}</bdi> (<bdi>{view.agent.model}</bdi>)
            </span>
          )}
        </p>
      </header>
      {view.description && (
        <p className="mist-description" data-testid="mist-description">
          <bdi>{view.description}</bdi>
        </p>
      )}
      {view.tags.length > 0 && (
        <ul className="mist-tags" aria-label="Tags">
          {view.tags.map((tag) => (
            <li key={tag}>#{tag}</li>
          ))}
        </ul>
      )}
      {children}
      <div className="mist-file-bar">
        <span className="mist-file-name" data-testid="mist-file-name">
          <bdi>{detail.name}</bdi> · {detail.bytes.length} bytes
        </span>
        <button type="button" className="button" onClick={() => download(detail.bytes, detail.name)}>
          Download
        </button>
      </div>
      {detail.text === null ? (
        <p className="screen-message" data-testid="mist-binary">
          A binary file ({detail.bytes.length} bytes): download it to open it.
        </p>
      ) : (
        <CodeView text={detail.text} name={detail.name} {...(detail.language && { language: detail.language })} />
      )}
      {detail.anchors.length > 0 && (
        <details className="mist-anchors">
          <summary>Symbols ({detail.anchors.length})</summary>
          <ul>
            {detail.anchors.map((a) => (
              <li key={a}>
                <code>{a.split('::')[1]}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
