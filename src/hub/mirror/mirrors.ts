/**
 * The peers this hub mirrors (MURMUR_PEERS): one PeerMirror each, with its
 * cursor from the store's MirrorStore, sharing the record of verified commits
 * there. A peer that names this hub itself is harmless (every head it lists is
 * already held, so each is skipped as stale).
 */
import type { PeerStatus } from '../../protocol/routes.ts';
import type { MirrorStore } from '../store/hub-store.ts';
import { PeerMirror, type PeerMirrorDeps } from './peer.ts';

export interface Mirrors {
  status(): PeerStatus[];
  /** Stops every peer's loops and streams (the store, which holds their state, closes after). */
  stop(): Promise<void>;
}

export async function startMirrors(
  peers: readonly string[],
  store: MirrorStore,
  deps: Omit<PeerMirrorDeps, 'cursor' | 'verified'>,
): Promise<Mirrors> {
  if (peers.length === 0) return { status: () => [], stop: async () => {} };
  const cursors = await Promise.all(peers.map((origin) => store.openCursor(origin)));
  const verified = await store.openVerified();
  const running = peers.map((origin, i) => new PeerMirror(origin, { ...deps, verified, cursor: cursors[i]! }));
  return {
    status: () => running.map((m) => m.status()),
    stop: async () => {
      await Promise.all(running.map((m) => m.stop()));
    },
  };
}
