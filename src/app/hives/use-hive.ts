/**
 * A hive as a screen reads it (hive-poller.ts) and the acts it sends, each followed by reads until the act shows.
 * The last read of each hive is kept for the session, so the post page opens with what the hive page showed, and
 * so are the titles of the posts seen, so the log can name a post after its removal hid it.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { PseudonymSummary, Result } from '../../../workers/api/api-types.ts';
import type { HiveAddress, HiveRead } from '../../../workers/api/hives-types.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { type HiveSnapshot, createHivePoller } from './hive-poller.ts';
import type { ShownHive, Standing } from './hive-view.ts';
import { HIVE_ERRORS } from './hive-errors.ts';

const lastReads = new Map<string, HiveRead>();
const seen = new Map<ObjectId, string>();

/** What a removed submission was, as this session last saw it: `the post “Title”`, `a comment by …`. */
export const seenAs = (id: ObjectId): string | undefined => seen.get(id);

function remember(key: string, read: HiveRead) {
  lastReads.set(key, read);
  if (!read.state.exists) return;
  for (const p of read.state.posts) seen.set(p.id, `the post “${p.object.title}”`);
  for (const c of read.state.comments) seen.set(c.id, 'a comment');
}

/** One key per viewer and hive: a screen remounts (a new poller) when it changes. */
export const hiveKey = (me: PseudonymId, at: HiveAddress): string => `${me} ${at.hive} ${at.hubs.join(' ')}`;

export type ActOutcome<T> = { ok: true; value: T } | { ok: false; text: string };

export interface HiveReader extends HiveSnapshot {
  readonly readAgain: () => void;
  /**
   * Sends an act, then reads until `shown` holds for the hive (`label` listed as sending meanwhile); with no
   * `shown`, reads once.
   * @returns the failure in words when it was refused
   */
  readonly act: <T>(
    label: string,
    call: () => Promise<Result<T>>,
    shown?: (state: ShownHive, value: T) => boolean,
  ) => Promise<ActOutcome<T>>;
}

/** What each section of a hive's page is given: who reads, where the hive is, its state, one's standing in it. */
export interface HiveSectionProps {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly state: ShownHive;
  readonly standing: Standing;
  readonly reader: HiveReader;
}

/** Use under a component keyed by hiveKey(me, at). */
export function useHive(me: PseudonymId, at: HiveAddress): HiveReader {
  const core = useCore();
  const [poller] = useState(() => {
    const key = hiveKey(me, at);
    return createHivePoller({
      read: () => core.readHive(me, at),
      now: Date.now,
      setTimer: (run, ms) => window.setTimeout(run, ms),
      clearTimer: (timer) => window.clearTimeout(timer as number),
      visible: () => document.visibilityState === 'visible',
      initial: lastReads.get(key),
      onRead: (read) => remember(key, read),
    });
  });
  useEffect(() => {
    poller.start();
    return () => poller.stop();
  }, [poller]);
  const snapshot = useSyncExternalStore(poller.subscribe, poller.snapshot);
  async function act<T>(
    label: string,
    call: () => Promise<Result<T>>,
    shown?: (state: ShownHive, value: T) => boolean,
  ): Promise<ActOutcome<T>> {
    const result = await runAction(call, HIVE_ERRORS);
    if (result.ok && shown) poller.expect(label, (state) => state.exists && shown(state, result.value));
    else if (result.ok) poller.readAgain();
    return result;
  }
  return { ...snapshot, readAgain: poller.readAgain, act };
}
