/**
 * Head routes: put (a signed head, checked for form, author, signature, time
 * and newness before it is stored), get (batched), and the change log
 * (`GET /v1/changes?since=N`, for hub-to-hub mirroring).
 */
import { decodeHead, headToJson } from '../../protocol/heads.ts';
import { parsePseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import type { ChangesAnswer, HeadsAnswer } from '../../protocol/routes.ts';
import { checkHead } from '../guard/head-check.ts';
import type { HeadStore } from '../store/hub-store.ts';
import { intParam, readBody, sendJson } from '../http/http.ts';
import { authorsFromQuery } from '../http/id-lists.ts';
import type { Handler } from '../http/router.ts';
import type { StorageBudget } from '../guard/storage-budget.ts';
import type { WriteGuard } from '../guard/write-guard.ts';

/** Most changes one page of the change log carries. */
export const CHANGES_PAGE = 500;

export interface HeadRouteDeps {
  readonly heads: HeadStore;
  readonly verify: Verify;
  readonly now: () => number;
  readonly guard: WriteGuard;
  readonly recordLimit: number;
  readonly budget: StorageBudget;
}

export function headRoutes({ heads, verify, now, guard, recordLimit, budget }: HeadRouteDeps): {
  putHead: Handler;
  getHeads: Handler;
  listChanges: Handler;
} {
  return {
    async putHead({ req, res, params }) {
      const author = parsePseudonymId(params.author);
      await guard.checkIp(req);
      const signed = decodeHead(await readBody(req, recordLimit));
      await checkHead(signed, author, verify, now());
      await guard.checkPseudonym(author);
      // Every accepted head is a new line in heads.log, so it is always charged.
      const change = await budget.store(
        req,
        signed.bytes.length,
        () => heads.putHead(signed),
        () => true,
      );
      sendJson(res, 200, { ok: true, seq: signed.head.seq, change: change.seq });
    },

    async getHeads({ res, url }) {
      const found = await heads.findHeads(authorsFromQuery(url));
      const answer: HeadsAnswer = {
        heads: Object.fromEntries([...found].map(([author, c]) => [author, headToJson(c.signed)])),
      };
      sendJson(res, 200, answer);
    },

    async listChanges({ res, url }) {
      const since = intParam(url, 'since', 0);
      const limit = Math.min(intParam(url, 'limit', CHANGES_PAGE), CHANGES_PAGE);
      const page = await heads.listChanges({ since, limit: Math.max(limit, 1) });
      const answer: ChangesAnswer = {
        changes: page.changes.map((c) => ({ seq: c.seq, author: c.signed.head.author, head: headToJson(c.signed) })),
        next: page.next,
        last: await heads.lastSeq(),
      };
      sendJson(res, 200, answer);
    },
  };
}
