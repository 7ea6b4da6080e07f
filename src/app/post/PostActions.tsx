/**
 * A post's action row: reply, quote, repost, react, copy link, for your own posts edit and delete, and a menu to
 * mute or block.
 */
import { Suspense, lazy, useState } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { useTransientNote } from '../shell/use-transient-note.ts';
import { routeHref, threadHref } from '../nav/route.ts';
import { ActionButton } from './ActionButton.tsx';
import { usePostEnv } from './post-env.ts';
import { PostMenu } from './PostMenu.tsx';
import { ReactionBar } from './ReactionBar.tsx';
import { runAction } from './run-action.ts';

// Loaded when first opened: most visits edit and delete nothing, and the page's first script stays small.
const EditDialog = lazy(() => import('./EditDialog.tsx').then((m) => ({ default: m.EditDialog })));
const DeleteDialog = lazy(() => import('./DeleteDialog.tsx').then((m) => ({ default: m.DeleteDialog })));

type Open = 'edit' | 'delete' | undefined;

export function PostActions({ item }: { readonly item: TimelineItem }) {
  const core = useCore();
  const { viewer, home, compose } = usePostEnv();
  const [open, setOpen] = useState<Open>();
  const [note, setNote] = useTransientNote();
  const own = item.author === viewer;
  const repostedByMe = item.repostedBy?.includes(viewer) ?? false;

  async function repost() {
    const result = await runAction(() => core.repost(viewer, item.id));
    setNote(result.ok ? 'Reposted' : result.text, !result.ok);
  }

  async function copyLink() {
    // A link post's own link carries its key (in the fragment): whoever gets it can read the post.
    const href =
      item.linkKey && home
        ? routeHref({ name: 'link', commit: item.commitId, hub: home, key: item.linkKey })
        : threadHref(item.id);
    const link = new URL(href, location.href).href;
    try {
      await navigator.clipboard.writeText(link);
      setNote('Link copied');
    } catch {
      setNote(`Copy this link: ${link}`, true);
    }
  }

  return (
    <div className="post-actions">
      <ActionButton icon="reply" label="Reply" count={item.replies} onClick={() => compose({ kind: 'reply', item })} />
      <ActionButton icon="quote" label="Quote" onClick={() => compose({ kind: 'quote', item })} />
      <ActionButton
        icon="repost"
        label={repostedByMe ? 'Reposted' : 'Repost'}
        pressed={repostedByMe}
        onClick={() => void repost()}
      />
      <ReactionBar item={item} onError={(text) => setNote(text, true)} />
      <ActionButton icon="link" label="Copy link" onClick={() => void copyLink()} />
      {own && <ActionButton icon="edit" label="Edit" onClick={() => setOpen('edit')} />}
      {own && <ActionButton icon="trash" label="Delete" onClick={() => setOpen('delete')} />}
      <PostMenu item={item} viewer={viewer} onNote={setNote} />
      <p className="post-note" role="status">
        {note}
      </p>
      <Suspense fallback={null}>
        {open === 'edit' && <EditDialog item={item} open onClose={() => setOpen(undefined)} />}
        {open === 'delete' && <DeleteDialog item={item} open onClose={() => setOpen(undefined)} />}
      </Suspense>
    </div>
  );
}
