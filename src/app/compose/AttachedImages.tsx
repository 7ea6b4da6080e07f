/** Images waiting to be posted, each with a preview and a remove button. */
import { useEffect, useMemo } from 'react';
import type { MediaInput } from '../../../workers/api/api-types.ts';

export function AttachedImages({
  media,
  onRemove,
}: {
  readonly media: readonly MediaInput[];
  readonly onRemove: (index: number) => void;
}) {
  const urls = useMemo(
    () => media.map((m) => URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: m.type }))),
    [media],
  );
  useEffect(
    () => () => {
      for (const url of urls) URL.revokeObjectURL(url);
    },
    [urls],
  );
  if (media.length === 0) return null;
  return (
    <ul className="attached" aria-label="Attached images">
      {urls.map((url, i) => (
        <li key={url} className="attached-item">
          <img src={url} alt={`Attachment ${i + 1}`} data-testid="attached-image" data-type={media[i]?.type} />
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => onRemove(i)}
            aria-label={`Remove image ${i + 1}`}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}
