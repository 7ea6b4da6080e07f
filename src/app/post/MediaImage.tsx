/**
 * One media blob shown as an image (verified bytes from the worker, as an object URL). `post` names the post that
 * carries it: a sealed post's media open with its key. Fetched as the viewer, so a hub sees it asked for at the
 * viewer's own alias, never beside another pseudonym's requests.
 */
import { useEffect, useState } from 'react';
import type { ObjectId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useViewer } from './post-env.ts';

export function MediaImage({
  id,
  post,
  alt,
}: {
  readonly id: ObjectId;
  readonly post?: ObjectId;
  readonly alt: string;
}) {
  const core = useCore();
  const viewer = useViewer();
  const [url, setUrl] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let made: string | undefined;
    core.findMedia(id, post, viewer).then(
      (bytes) => {
        if (!live) return;
        if (!bytes) return setFailed(true);
        made = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
        setUrl(made);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [core, id, post, viewer]);
  if (failed) return <span className="media-missing">Image not available on this device</span>;
  if (!url) return <span className="media-loading" aria-label="Loading image" role="img" />;
  return <img className="media-image" src={url} alt={alt} loading="lazy" data-testid="post-image" />;
}
