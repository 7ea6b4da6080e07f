/**
 * `GET /m/:author/:mist/embed` and `/raw` (protocol/page-routes.ts; PROTOCOL.md, Embedding mists): one static
 * page of the built app (embed.html) that other sites may frame. The hub cannot say which blob is a mist's
 * file without reading the feed's ops, and a hub checks hashes, signatures and limits, never social meaning:
 * so it checks only that the path names a pseudonym and a mist id, and the page, in the browser, fetches the
 * feed over the API, verifies it, finds the mist's newest version and checks its file before showing it.
 *
 * Headers: the embed policy (frame-ancestors *, scripts and styles from this origin only), no X-Frame-Options,
 * Cross-Origin-Resource-Policy cross-origin (so a page that requires it of its frames may embed this one), and
 * nothing that sets a cookie: the page holds no keys and reads no storage.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { parseMistId } from '../../protocol/mists.ts';
import type { PageRouteName } from '../../protocol/page-routes.ts';
import type { Handler } from '../http/router.ts';
import { EMBED_CONTENT_SECURITY_POLICY, findAppFile, sendAppFile } from '../http/static.ts';

/** The page in the built app that shows a mist, for both routes. */
export const EMBED_PAGE = 'embed.html';

export const EMBED_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': EMBED_CONTENT_SECURITY_POLICY,
  'cross-origin-resource-policy': 'cross-origin',
};

/**
 * The script embed: an iframe of the embed page beside the script tag that loaded it. The same bytes for every
 * mist (the page's URL is the script's own, less `.js`), so nothing from the request is written into code.
 */
export const EMBED_SCRIPT =
  '(function () {\n' +
  '  var script = document.currentScript;\n' +
  '  if (!script || !script.parentNode) return;\n' +
  "  var frame = document.createElement('iframe');\n" +
  "  frame.src = script.src.replace(/\\.js(?:[?#].*)?$/, '');\n" +
  "  frame.title = 'A mist, shared on Murmur';\n" +
  "  frame.width = '100%';\n" +
  "  frame.height = '420';\n" +
  "  frame.style.border = '0';\n" +
  "  frame.loading = 'lazy';\n" +
  '  script.parentNode.insertBefore(frame, script.nextSibling);\n' +
  '})();\n';

/** @param appDir the built app (dist/app); without it, or without its embed page, the routes answer NotFound. */
export function embedRoutes({ appDir }: { readonly appDir: string | undefined }): Record<PageRouteName, Handler> {
  const page: Handler = async ({ req, res, params }) => {
    // A malformed id throws MalformedId, answered 400 by name (http.ts sendFailure) before any file is read.
    parsePseudonymId(params.author);
    parseMistId(params.mist);
    const file = await findAppFile(appDir, EMBED_PAGE);
    if (!file) throw new ProtocolError('NotFound', 'this hub serves no embed page: its app is not built');
    // no-cache: the page is the app's and changes with it, as index.html does.
    await sendAppFile(req, res, file, { cache: 'no-cache', headers: EMBED_HEADERS });
  };
  const script: Handler = async ({ res, params }) => {
    parsePseudonymId(params.author);
    parseMistId(params.mist);
    res.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
    });
    res.end(EMBED_SCRIPT);
  };
  return { embedMist: page, rawMist: page, embedMistScript: script };
}
