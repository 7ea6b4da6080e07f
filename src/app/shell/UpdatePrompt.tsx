/** "Update available": a new version of the app is installed and waits for a reload. */
import { useState, useSyncExternalStore } from 'react';
import { applyUpdate, dismissUpdate, isUpdateWaiting, subscribeUpdate } from './service-worker.ts';

export function UpdatePrompt() {
  const waiting = useSyncExternalStore(subscribeUpdate, isUpdateWaiting);
  const [reloading, setReloading] = useState(false);
  return (
    <div className="toast-region" aria-live="polite">
      {waiting && (
        <section className="toast" aria-label="Update available">
          <p className="toast-text">
            <strong>Update available.</strong> Reload to use the new version.
          </p>
          <div className="toast-actions">
            <button type="button" className="button button-quiet button-small" onClick={dismissUpdate}>
              Later
            </button>
            <button
              type="button"
              className="button button-primary button-small"
              disabled={reloading}
              onClick={() => {
                setReloading(true);
                applyUpdate().catch((error: unknown) => {
                  console.error('murmur: update failed', error);
                  setReloading(false);
                });
              }}
            >
              Reload
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
