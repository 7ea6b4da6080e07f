/**
 * Handles: `PUT /v1/handles/:name` stores a signed claim (first claim wins on
 * this hub) and `GET /.well-known/webfinger` resolves `acct:name@host` to the
 * pseudonym as an RFC 7033 JRD, with the signed claim so a reader can check
 * the hub did not point the name at another key.
 */
import { fromUtf8 } from '../../protocol/bytes.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { type Handle, decodeHandleClaim, hubOrigin, parseHandle, verifyHandleClaim } from '../../protocol/handles.ts';
import type { Verify } from '../../protocol/keys.ts';
import { MURMUR_LINK_TYPE, WEBFINGER_CLAIM, WEBFINGER_PSEUDONYM } from '../../protocol/routes.ts';
import type { HandleStore } from '../store/hub-store.ts';
import { readBody, sendJson } from '../http/http.ts';
import type { Handler } from '../http/router.ts';
import type { StorageBudget } from '../guard/storage-budget.ts';
import type { WriteGuard } from '../guard/write-guard.ts';

export interface HandleRouteDeps {
  readonly handles: HandleStore;
  readonly verify: Verify;
  readonly guard: WriteGuard;
  readonly recordLimit: number;
  /**
   * This hub's own host[:port] names, lowercase, from its configuration. Never
   * the request's Host header: that is whatever the client sends, and trusting
   * it let anyone take names on this hub with claims for a host it is not.
   */
  readonly publicHosts: ReadonlySet<string>;
  readonly budget: StorageBudget;
}

export function handleRoutes({ handles, verify, guard, recordLimit, publicHosts, budget }: HandleRouteDeps): {
  putHandle: Handler;
  webfinger: Handler;
} {
  return {
    async putHandle({ req, res, params }) {
      await guard.checkIp(req);
      const signed = decodeHandleClaim(await readBody(req, recordLimit));
      const { claim } = signed;
      if (claim.name !== params.name)
        throw new ProtocolError('InvalidField', `the claim is for ${claim.name}, not ${params.name}`, {
          field: 'name',
        });
      // The claim names its hub, so a claim made for one hub cannot be replayed on another.
      if (!publicHosts.has(claim.host))
        throw new ProtocolError(
          'WrongHost',
          `the claim is for ${claim.host}; this hub is ${[...publicHosts].join(', ')}`,
        );
      if (!(await verifyHandleClaim(signed, verify)))
        throw new ProtocolError('BadSignature', 'the claim signature does not verify');
      await guard.checkPseudonym(claim.author);
      const outcome = await budget.store(
        req,
        signed.bytes.length,
        () => handles.putClaim(signed),
        (o) => o === 'created',
      );
      sendJson(res, outcome === 'created' ? 201 : 200, { ok: true });
    },

    async webfinger({ res, url }) {
      const resource = url.searchParams.get('resource');
      if (!resource?.startsWith('acct:')) throw new ProtocolError('BadRequest', 'expected ?resource=acct:name@host');
      let handle: Handle;
      try {
        handle = parseHandle(resource);
      } catch {
        throw new ProtocolError('BadRequest', `${resource} is not acct:name@host`);
      }
      const { host } = handle;
      const signed = publicHosts.has(host) ? await handles.findClaim(handle.name) : undefined;
      // A claim made for another host of this hub (or one it no longer
      // has) would not verify for this handle, so it is not offered.
      if (!signed || signed.claim.host !== host)
        throw new ProtocolError('NotFound', `no handle ${handle.name}@${host} on this hub`);
      const id = signed.claim.author;
      const jrd = {
        subject: `acct:${handle.name}@${handle.host}`,
        aliases: [],
        links: [{ rel: 'self', type: MURMUR_LINK_TYPE, href: `${hubOrigin(host)}/v1/heads?authors=${id}` }],
        properties: { [WEBFINGER_PSEUDONYM]: id, [WEBFINGER_CLAIM]: fromUtf8(signed.bytes) },
      };
      sendJson(res, 200, jrd, { 'content-type': 'application/jrd+json' });
    },
  };
}
