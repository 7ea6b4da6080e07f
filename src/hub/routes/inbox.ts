/**
 * Inbox routes. `POST /v1/inbox/:author` takes a signed notice for :author
 * (anyone may send one; the notice's own signature names the sender, and its
 * time must be within REQUEST_SKEW_MS of the hub's clock, so an old notice
 * cannot be replayed into a fresh inbox), unless the recipient's inbox policy
 * (inbox-policy.ts, stored by routes/inbox-policy.ts) does not admit the
 * sender: then nothing is stored. `GET /v1/inbox/:author` pages the
 * notices, only for :author itself, by a signed request; a hive's inbox (its
 * policy's mode is `board`) to anyone, unsigned, since every reader assembles
 * the hive from what its members announce there.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { parsePseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { admitsSender } from '../../protocol/inbox-policy.ts';
import { decodeNotice, verifyNotice } from '../../protocol/notices.ts';
import { REQUEST_SKEW_MS } from '../../protocol/request-auth.ts';
import type { InboxAnswer } from '../../protocol/routes.ts';
import { intParam, readBody, sendJson } from '../http/http.ts';
import type { InboxStore } from '../store/hub-store.ts';
import type { SignedInboxPolicy } from '../../protocol/inbox-policy.ts';
import type { Handler } from '../http/router.ts';
import type { StorageBudget } from '../guard/storage-budget.ts';
import type { WriteGuard } from '../guard/write-guard.ts';

/** Notices in one page when the reader does not ask for fewer. */
export const INBOX_PAGE = 200;

export interface InboxRouteDeps {
  readonly inbox: InboxStore;
  readonly verify: Verify;
  readonly now: () => number;
  readonly guard: WriteGuard;
  readonly recordLimit: number;
  readonly budget: StorageBudget;
}

export function inboxRoutes({ inbox, verify, now, guard, recordLimit, budget }: InboxRouteDeps): {
  postNotice: Handler;
  listInbox: Handler;
} {
  return {
    async postNotice({ req, res, params }) {
      const to = parsePseudonymId(params.author);
      await guard.checkIp(req);
      const signed = decodeNotice(await readBody(req, recordLimit));
      const { notice } = signed;
      if (notice.to !== to)
        throw new ProtocolError('InvalidField', `the notice is for ${notice.to}, not ${to}`, { field: 'to' });
      if (!(await verifyNotice(signed, verify)))
        throw new ProtocolError('BadSignature', 'the notice signature does not verify');
      const off = notice.ts - now();
      if (off > REQUEST_SKEW_MS)
        throw new ProtocolError(
          'FutureTimestamp',
          `the notice is dated ${Math.round(off / 1000)} s ahead of the hub's clock`,
        );
      if (-off > REQUEST_SKEW_MS)
        throw new ProtocolError(
          'ClockSkew',
          `the notice is dated ${Math.round(-off / 1000)} s ago; send it again with the time now`,
        );
      const policy = await inbox.findPolicy(to);
      if (policy && !admitsSender(policy.policy, notice.from))
        throw new ProtocolError('InboxClosed', `this inbox takes notices only from people it ${policyWords(policy)}`);
      await guard.checkPseudonym(notice.from);
      const outcome = await budget.store(
        req,
        signed.bytes.length,
        () => inbox.putNotice(signed),
        (o) => o === 'created',
      );
      sendJson(res, outcome === 'created' ? 201 : 200, { ok: true });
    },

    async listInbox({ req, res, url, params }) {
      const owner = parsePseudonymId(params.author);
      const cursor = intParam(url, 'cursor', 0);
      const limit = Math.max(1, Math.min(intParam(url, 'limit', INBOX_PAGE), INBOX_PAGE));
      if ((await inbox.findPolicy(owner))?.policy.mode !== 'board') {
        const reader = await guard.authenticate(req, new Uint8Array());
        if (reader !== owner) throw new ProtocolError('Forbidden', "only the inbox's own pseudonym may read it");
      }
      const page = await inbox.listNotices(owner, { cursor, limit });
      const answer: InboxAnswer = {
        notices: page.map((n) => ({ ...n.signed.notice, sig: n.signed.sig })),
        ...(page.length > 0 && { next: String(page.at(-1)!.seq) }),
      };
      sendJson(res, 200, answer);
    },
  };
}

function policyWords({ policy }: SignedInboxPolicy): string {
  return policy.mode === 'closed' ? 'follows' : 'names';
}
