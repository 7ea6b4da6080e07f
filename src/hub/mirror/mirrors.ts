/**
 * The peers this hub mirrors (MURMUR_PEERS): one PeerMirror each, with its
 * cursor under dataDir/mirror/, sharing the record of verified commits there.
 * A peer that names this hub itself is
 * harmless (every head it lists is already held, so each is skipped as stale).
 */
import { join } from 'node:path';
import type { PeerStatus } from '../../protocol/routes.ts';
import { MirrorCursor } from './cursor.ts';
import { PeerMirror, type PeerMirrorDeps } from './peer.ts';
import { VerifiedCommits } from './verified-commits.ts';

export interface Mirrors {
  status(): PeerStatus[];
  /** Stops every peer's loops and streams. */
  stop(): Promise<void>;
}

export async function startMirrors(peers: readonly string[], dataDir: string, tmpDir: string, deps: Omit<PeerMirrorDeps, 'cursor' | 'verified'>): Promise<Mirrors> {
  if (peers.length === 0) return { status: () => [], stop: async () => {} };
  const dir = join(dataDir, 'mirror');
  const cursors = await Promise.all(peers.map((origin) => MirrorCursor.open(dir, tmpDir, origin)));
  const verified = await VerifiedCommits.open(join(dir, 'verified.log'), tmpDir);
  const running = peers.map((origin, i) => new PeerMirror(origin, { ...deps, verified, cursor: cursors[i]! }));
  return {
    status: () => running.map((m) => m.status()),
    stop: async () => {
      await Promise.all(running.map((m) => m.stop()));
      await verified.close();
    },
  };
}
