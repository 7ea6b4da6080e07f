/**
 * The CoreApi's moveHub: runs the move (sync/move-hub.ts) over the worker's
 * keyring and outbox engine, then tells the views (the pseudonym's hubs and
 * handle changed) and reopens the live streams on the new home.
 */
import type { Change, CoreApi } from './api-types.ts';
import type { CoreDb } from '../store/db.ts';
import { asResult } from '../errors.ts';
import { setHome } from '../keys/keyring.ts';
import { type MoveDeps, moveHub } from '../sync/move-hub.ts';
import type { SyncStatusBoard } from '../net/sync-status.ts';

export type MoveApiDeps = Omit<MoveDeps, 'setHome'> & {
  readonly db: CoreDb;
  readonly emit: (change: Change) => void;
  readonly board: SyncStatusBoard;
  /** The streams read the pseudonym's own feed from its home: reopen them there. */
  readonly homeMoved: () => Promise<void>;
};

export function createMoveApi(deps: MoveApiDeps): Pick<CoreApi, 'moveHub'> {
  return {
    moveHub: (pseudonym, to, onProgress) =>
      asResult(async () => {
        const move = {
          ...deps,
          setHome: (p: typeof pseudonym, hubs: readonly string[], handle?: string) =>
            setHome(deps.db, p, hubs, handle).then(() => undefined),
        };
        const before = await deps.keys.getHubs(pseudonym);
        const outcome = await moveHub(move, pseudonym, to, onProgress);
        // The old home is no hub of ours any more: a problem it had is not ours to show.
        for (const gone of before.filter((h) => !outcome.hubs.includes(h)))
          deps.board.setHubProblem(pseudonym, gone, undefined);
        deps.emit({ kind: 'pseudonyms', pseudonym });
        deps.emit({ kind: 'timeline', pseudonym });
        await deps.homeMoved();
        return outcome;
      }),
  };
}
