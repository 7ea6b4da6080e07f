/**
 * Inbox policy routes. `PUT /v1/inbox-policy/:author` stores :author's signed
 * policy (inbox-policy.ts) when its seq is above the one held; the signature
 * is the authority, so no request signature is asked. `GET` answers the
 * policy held, so a sender's client can tell before it writes. The policy is
 * applied by `POST /v1/inbox/:author` (inbox.ts), before a notice is stored.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { INBOX_POLICY_LIMITS, decodeInboxPolicy, verifyInboxPolicy } from '../../protocol/inbox-policy.ts';
import type { Verify } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { CORS_HEADERS, readBody, sendJson } from '../http/http.ts';
import type { Handler } from '../http/router.ts';
import type { StorageBudget } from '../guard/storage-budget.ts';
import type { WriteGuard } from '../guard/write-guard.ts';
import type { InboxStore } from '../store/hub-store.ts';

export interface InboxPolicyRouteDeps {
  readonly inbox: InboxStore;
  readonly verify: Verify;
  readonly now: () => number;
  readonly guard: WriteGuard;
  readonly budget: StorageBudget;
}

export function inboxPolicyRoutes({ inbox, verify, now, guard, budget }: InboxPolicyRouteDeps): {
  putInboxPolicy: Handler;
  getInboxPolicy: Handler;
} {
  return {
    async putInboxPolicy({ req, res, params }) {
      const author = parsePseudonymId(params.author);
      await guard.checkIp(req);
      const signed = decodeInboxPolicy(await readBody(req, INBOX_POLICY_LIMITS.bytes));
      if (signed.policy.author !== author)
        throw new ProtocolError('WrongAuthor', `the policy is signed for ${signed.policy.author}, not ${author}`);
      if (!(await verifyInboxPolicy(signed, verify)))
        throw new ProtocolError('BadSignature', 'the inbox policy signature does not verify');
      const ahead = signed.policy.ts - now();
      if (ahead > LIMITS.futureSkewMs)
        throw new ProtocolError('FutureTimestamp', `the policy is dated ${ahead} ms ahead of the hub's clock`);
      await guard.checkPseudonym(author);
      const outcome = await budget.store(
        req,
        signed.bytes.length,
        () => inbox.putPolicy(signed),
        (o) => o === 'created',
      );
      sendJson(res, outcome === 'created' ? 201 : 200, { ok: true });
    },

    async getInboxPolicy({ res, params }) {
      const author = parsePseudonymId(params.author);
      const held = await inbox.findPolicy(author);
      if (!held) throw new ProtocolError('NotFound', 'no inbox policy is held for this pseudonym');
      res.writeHead(200, {
        ...CORS_HEADERS,
        'content-type': 'application/json; charset=utf-8',
        'content-length': held.bytes.length,
        'cache-control': 'no-store',
      });
      res.end(held.bytes);
    },
  };
}
