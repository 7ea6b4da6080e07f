/**
 * The errors a store raises itself, beside ProtocolError's (StaleHead,
 * HandleTaken, the quotas), which are the protocol's. A store that keeps its
 * data in another service (S3, a database) cannot always reach it; the hub
 * must then fail the request, not answer as if the data were absent.
 */

/** The service holding the store's data refused or failed a request; `cause` is what it said. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}
