/**
 * `PUT /v1/retirements/:author`: a pseudonym retires itself on this hub with
 * its signed retirement (retirement.ts). The hub keeps it as a tombstone and
 * releases the pseudonym's handles here (HandleStore.retire), so others may
 * claim the names and the retired key can claim none again. Nothing is
 * forwarded, and the signed feed stays, as anything public does.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { parsePseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { decodeRetirement, verifyRetirement } from '../../protocol/retirement.ts';
import { readBody, sendJson } from '../http/http.ts';
import type { Handler } from '../http/router.ts';
import type { WriteGuard } from '../guard/write-guard.ts';
import type { HandleStore } from '../store/hub-store.ts';

export interface RetirementRouteDeps {
  readonly handles: HandleStore;
  readonly verify: Verify;
  readonly now: () => number;
  readonly guard: WriteGuard;
  readonly recordLimit: number;
}

export function retirementRoutes({ handles, verify, now, guard, recordLimit }: RetirementRouteDeps): {
  putRetirement: Handler;
} {
  return {
    async putRetirement({ req, res, params }) {
      const author = parsePseudonymId(params.author);
      await guard.checkIp(req);
      const signed = decodeRetirement(await readBody(req, recordLimit));
      if (signed.retirement.author !== author)
        throw new ProtocolError(
          'WrongAuthor',
          `the retirement is signed for ${signed.retirement.author}, not ${author}`,
        );
      if (!(await verifyRetirement(signed, verify)))
        throw new ProtocolError('BadSignature', 'the retirement signature does not verify');
      const ahead = signed.retirement.ts - now();
      if (ahead > LIMITS.futureSkewMs)
        throw new ProtocolError('FutureTimestamp', `the retirement is dated ${ahead} ms ahead of the hub's clock`);
      await guard.checkPseudonym(author);
      // It frees names rather than holding bytes: no storage budget is charged (a tombstone is one small file).
      const outcome = await handles.retire(signed);
      sendJson(res, outcome === 'created' ? 201 : 200, { ok: true });
    },
  };
}
