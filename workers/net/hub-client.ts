/**
 * The worker's hub client is the one hub client (src/hub-client/client.ts):
 * the worker leaves its reads unbounded in size and time (a person's own hub,
 * whose blob limit an operator may raise) and keeps the client's retry of a
 * read whose kept-alive connection was closed. Its errors are HubErrors, named
 * as the hub names them, Offline or HubUnavailable; toFailure (errors.ts)
 * turns them into values.
 */
export { type Fetch, type HubClient, type Jrd, createHubClient } from '../../src/hub-client/client.ts';
export { request } from '../../src/hub-client/request.ts';
