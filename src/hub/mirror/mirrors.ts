/**
 * The peers this hub mirrors (MURMUR_PEERS): one PeerMirror each, with its
 * cursor from the store's MirrorStore, sharing the record of verified commits
 * there. A peer that names this hub itself is harmless (every head it lists is
 * already held, so each is skipped as stale).
 */
import type { PeerStatus } from '../../protocol/routes.ts';
import type { InboxStore, MirrorStore } from '../store/hub-store.ts';
import { PeerMirror, type PeerMirrorDeps } from './peer.ts';

export interface Mirrors {
  status(): PeerStatus[];
  /** Stops every peer's loops and streams (the store, which holds their state, closes after). */
  stop(): Promise<void>;
}

export async function startMirrors(
  peers: readonly string[],
  store: MirrorStore,
  deps: Omit<PeerMirrorDeps, 'cursor' | 'verified' | 'boards'> & { readonly inbox?: InboxStore },
): Promise<Mirrors> {
  if (peers.length === 0) return { status: () => [], stop: async () => {} };
  const cursors = await Promise.all(peers.map((origin) => store.openCursor(origin)));
  const verified = await store.openVerified();
  const { inbox, ...rest } = deps;
  const running = peers.map((origin, i) => {
    // A board's cursor on this peer, kept beside the peer's own (MirrorStore keys cursors by any string).
    const openCursor = (board: string) => store.openCursor(`${origin} board ${board}`);
    const boards = inbox && { inbox, openCursor };
    return new PeerMirror(origin, { ...rest, verified, cursor: cursors[i]!, ...(boards && { boards }) });
  });
  return {
    status: () => running.map((m) => m.status()),
    stop: async () => {
      await Promise.all(running.map((m) => m.stop()));
    },
  };
}
