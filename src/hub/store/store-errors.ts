/**
 * The errors a store raises itself, beside ProtocolError's (StaleHead,
 * HandleTaken, the quotas), which are the protocol's. Each is named, so a
 * caller tells it from a bug.
 */

/**
 * The service holding the store's data (S3, a database) refused or failed a request, or cannot be reached;
 * `cause` is what it said. Nothing was written by the call that throws it, or what was is not acknowledged;
 * the hub fails the request rather than answer as if the data were absent, and a later call may succeed
 * once the service is back.
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/**
 * Data the store wrote cannot be read back as it was written: damaged on disk, edited by hand, or not the
 * store's. The message names the file (or row) and the line. A hub that meets one at start stops rather
 * than guess, and changes nothing, so an operator can repair it: skipping a line could forget an
 * acknowledged head, notice or charge.
 */
export class CorruptStore extends Error {
  override readonly name = 'CorruptStore';
}
