/** How much this device holds, and whether the browser promised to keep it. */
import { useId, useState } from 'react';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { formatBytes } from './format-bytes.ts';

export function StorageSection() {
  const core = useCore();
  const {
    data: info,
    error,
    reload,
  } = useCoreQuery(
    'storage',
    () => core.getStorageInfo(),
    (c) => c.kind === 'timeline',
  );
  const [note, setNote] = useState<string>();
  const ids = useId();

  async function persist() {
    const granted = (await navigator.storage?.persist?.()) ?? false;
    setNote(
      granted
        ? 'The browser will keep Murmur’s data.'
        : 'The browser did not promise to keep the data; installing the app usually helps.',
    );
    reload();
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Storage</h2>
      {error !== undefined && (
        <p className="message message-error">Could not read storage: {describeError('load', error)}</p>
      )}
      {info && (
        <dl className="settings-facts" data-testid="storage-info">
          <div>
            <dt>Used</dt>
            <dd>
              {info.usage !== undefined ? formatBytes(info.usage) : 'unknown'}
              {info.quota !== undefined && ` of ${formatBytes(info.quota)}`}
            </dd>
          </div>
          <div>
            <dt>Posts held</dt>
            <dd>{info.posts.toLocaleString()}</dd>
          </div>
          <div>
            {/* The blobs store holds more than media (edit versions, feed logs, reposted commits): not "media". */}
            <dt>Other objects held</dt>
            <dd>
              {info.blobs.toLocaleString()}
              <span className="field-hint"> (images, earlier versions of edited posts, feed logs)</span>
            </dd>
          </div>
          <div>
            <dt>Persistent</dt>
            <dd>
              {info.persisted ? 'Yes: the browser will not evict it' : 'No: the browser may evict it under pressure'}
            </dd>
          </div>
        </dl>
      )}
      {info && !info.persisted && (
        <button type="button" className="button button-secondary" onClick={() => void persist()}>
          Ask to keep storage
        </button>
      )}
      <p className="field-hint" role="status">
        {note}
      </p>
    </section>
  );
}
