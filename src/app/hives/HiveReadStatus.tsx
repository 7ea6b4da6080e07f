/**
 * Where the reading of a hive is, in words: reading (announced), the viewer's acts not seen yet (announced), a
 * failure (an alert), and quietly what the last read found: when, how many announcements its board held, how
 * many were left out as forged or not served; with a button to read again now. And the page for a link that
 * names no hive (yet).
 */
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { LateSpinner } from '../shell/LateSpinner.tsx';
import type { HiveReader } from './use-hive.ts';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function HiveReadStatus({ reader }: { readonly reader: HiveReader }) {
  const { read, reading, error, sending, reads, readAt } = reader;
  return (
    <div className="hive-status">
      <p role="status" className="hive-live">
        {reading && !read && (
          <>
            <LateSpinner /> Reading the hive…
          </>
        )}
        {sending.length > 0 && <span data-testid="hive-sending">{`Sending ${sending.join(', ')}…`}</span>}
      </p>
      <p className="hive-meta" data-testid="hive-status" data-reads={reads}>
        {read && readAt !== undefined && (
          <>
            {reading ? 'Reading again…' : `Read at ${timeFormat.format(readAt)}`}
            {` · ${read.notices} ${read.notices === 1 ? 'announcement' : 'announcements'} on its board`}
            {read.dropped.length > 0 && ` · ${read.dropped.length} left out (forged or not served)`}
          </>
        )}{' '}
        <button type="button" className="button button-small" onClick={reader.readAgain} disabled={reading}>
          Read again
        </button>
      </p>
      {error && (
        <p className="message message-error" role="alert">
          Could not read the hive: {error}
        </p>
      )}
    </div>
  );
}

export function NoHive({ at }: { readonly at: HiveAddress }) {
  return (
    <>
      <h1 id="hive-title" className="screen-title">
        No hive here yet
      </h1>
      <p className="message message-error" role="alert">
        {at.hubs.length === 0
          ? 'This link does not name the hive’s hub, so it cannot be read.'
          : `Nothing on ${at.hubs[0]} names this hive yet. A hive just made takes a moment to reach its hub; ` +
            'this page keeps reading.'}
      </p>
    </>
  );
}
