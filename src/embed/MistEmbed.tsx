/**
 * The embed page's screen: one mist, verified in this page, shown as inert text. Every string the mist carries
 * (title, file name, the author's name, the file) reaches the DOM as a React text node, never as markup, so a
 * file of HTML or SVG, or a title with tags, shows as the characters it is. A file that is not UTF-8 is not
 * shown at all: "binary file, N bytes".
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { CodeView } from '../app/mists/CodeView.tsx';
import { textOf } from '../protocol/mist-types.ts';
import { type MistPage, appMistUrl, mistPagePath } from '../protocol/page-routes.ts';
import type { LoadedMist } from './load-mist.ts';

type Shown = Extract<LoadedMist, { kind: 'shown' }>;

/** What the verified mark says on hover: what this page checked, not what a hub claims. */
const VERIFIED_MEANS =
  "Checked in this page: every commit of the author's feed against its signature, and this file against its hash";

type Status =
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly name: string; readonly message: string }
  | { readonly kind: 'loaded'; readonly loaded: LoadedMist };

export interface MistEmbedProps {
  readonly page: MistPage;
  /** The hub's origin: where "Open in Murmur" and the raw page lead. */
  readonly origin: string;
  readonly load: () => Promise<LoadedMist>;
}

export function MistEmbed({ page, origin, load }: MistEmbedProps) {
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  useEffect(() => {
    let current = true;
    load().then(
      (loaded) => current && setStatus({ kind: 'loaded', loaded }),
      (error: unknown) => {
        const name = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        if (current) setStatus({ kind: 'failed', name, message });
      },
    );
    return () => {
      current = false;
    };
  }, [load]);
  const open = (
    <a
      className="embed-open"
      href={appMistUrl(origin, page.author, page.mist)}
      target="_blank"
      rel="noopener noreferrer"
    >
      Open in Murmur
    </a>
  );
  if (status.kind === 'loading') return <Notice open={open}>Fetching the mist and checking its signatures…</Notice>;
  if (status.kind === 'failed')
    return (
      <Notice open={open} role="alert">
        This mist could not be verified ({status.name}): {status.message}
      </Notice>
    );
  const { loaded } = status;
  if (loaded.kind === 'deleted') return <Notice open={open}>This mist was deleted by its author.</Notice>;
  if (loaded.kind === 'absent')
    return (
      <Notice open={open}>
        No public mist {page.mist} here. It may be secret (a secret mist opens only from its link, in the app) or not on
        this hub.
      </Notice>
    );
  return <ShownMist page={page} origin={origin} shown={loaded} open={open} />;
}

function Notice({ children, open, role }: { children: ReactNode; open: ReactNode; role?: 'alert' }) {
  return (
    <main className="embed">
      <p className="embed-notice" role={role}>
        {children}
      </p>
      <footer className="embed-footer">{open}</footer>
    </main>
  );
}

function ShownMist({ page, origin, shown, open }: { page: MistPage; origin: string; shown: Shown; open: ReactNode }) {
  const { mist, file } = shown;
  const text = useMemo(() => textOf(file), [file]);
  useEffect(() => {
    document.title = `${mist.title ?? mist.name} · Murmur`;
  }, [mist]);
  const fingerprint = `${page.author.slice(0, 8)}…`;
  return (
    <main className="embed">
      <header className="embed-header">
        <h1 className="embed-title">{mist.title ?? mist.name}</h1>
        <p className="embed-meta">
          <span className="embed-file" data-testid="mist-file-name">
            {mist.name}
          </span>
          <span>
            {' by '}
            {shown.authorName && <span className="embed-author">{shown.authorName} </span>}
            <code className="embed-fingerprint" title={page.author}>
              {fingerprint}
            </code>
          </span>
          <span className="embed-verified" data-testid="verified" title={VERIFIED_MEANS}>
            ✓ Verified
          </span>
        </p>
      </header>
      {text === undefined ? (
        <p className="embed-binary" data-testid="binary">
          binary file, {file.length} bytes
        </p>
      ) : page.mode === 'raw' ? (
        // Raw: the bytes as they are, no highlighting; a React text node like everything else.
        <pre className="embed-raw" data-testid="raw-text">
          {text}
        </pre>
      ) : (
        <CodeView text={text} name={mist.name} {...(mist.language !== undefined && { language: mist.language })} />
      )}
      <footer className="embed-footer">
        {page.mode === 'raw' ? (
          <Download name={mist.name} file={file} />
        ) : (
          <a
            href={new URL(mistPagePath({ ...page, mode: 'raw' }), origin).href}
            target="_blank"
            rel="noopener noreferrer"
          >
            Raw
          </a>
        )}
        {open}
      </footer>
    </main>
  );
}

/** The file as the author shared it, under its name, from a Blob URL of the verified bytes (never the hub's). */
function Download({ name, file }: { name: string; file: Uint8Array }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    // octet-stream: a browser saves it rather than rendering it, whatever the name says the type is.
    const made = URL.createObjectURL(new Blob([file as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [file]);
  if (!url) return null;
  return (
    <a href={url} download={name} data-testid="download">
      Download {name}
    </a>
  );
}
