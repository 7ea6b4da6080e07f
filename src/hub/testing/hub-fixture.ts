/**
 * For the hub's integration tests: a real hub on 127.0.0.1 with a free port
 * and a fresh data folder, fixed keys, and builders for signed records.
 * (Not imported by the hub itself.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCommit } from '../../protocol/commits.ts';
import { buildHandleClaim } from '../../protocol/handles.ts';
import { type SignedHead, buildHead } from '../../protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { type NoticeKind, type SignedNotice, buildNotice } from '../../protocol/notices.ts';
import { buildPost } from '../../protocol/objects.ts';
import { newRequestNonce, signRequest } from '../../protocol/request-auth.ts';
import type { HubStatus } from '../../protocol/routes.ts';
import { sleep } from '../../runtime/sleep.ts';
import { type HubOptions, type RunningHub, startHub } from '../server.ts';
import { fileHubStore } from '../store/files/file-hub-store.ts';
import { clientsSeeClosed } from './hub-process.ts';

export const aliceKey = secretKeyFrom(new Uint8Array(32).fill(1));
export const bobKey = secretKeyFrom(new Uint8Array(32).fill(2));
export const alice = pseudonymOf(aliceKey);
export const bob = pseudonymOf(bobKey);

export interface TestHub {
  readonly url: string;
  /** 127.0.0.1:PORT, what handle claims on this hub name. */
  readonly host: string;
  readonly dataDir: string;
  readonly hub: RunningHub;
  /** Closes the hub and starts it again on the same port and data folder. */
  restart(): Promise<TestHub>;
  /** Closes the hub and removes its data. */
  stop(): Promise<void>;
}

/**
 * The hub's options for startTestHub. Its store is the file store under `dataDir` (a fresh folder by
 * default) unless `store` names another (memoryHubStore: then restart() starts over empty).
 */
export type TestHubOptions = Partial<HubOptions> & { dataDir?: string };

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const { dataDir: given, ...hubOptions } = options;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'murmur-hub-test-')));
  let hub: RunningHub;
  try {
    hub = await startHub({ host: '127.0.0.1', port: 0, store: fileHubStore(dataDir), ...hubOptions });
  } catch (error) {
    if (!given) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: hub.url,
    host: new URL(hub.url).host,
    dataDir,
    hub,
    async restart() {
      await hub.close();
      await clientsSeeClosed(hub.url);
      return startTestHub({ ...options, dataDir, port: hub.port });
    },
    async stop() {
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A signed commit of `key` (one post) and the head naming it, at `seq`. */
export function signedHead(
  key: SecretKey,
  seq: number,
  ts = Date.now(),
): { head: SignedHead; commit: ReturnType<typeof buildCommit> } {
  const post = buildPost({ author: pseudonymOf(key), body: `post ${seq}`, ts });
  const commit = buildCommit(key, { parents: [], seq: 1, ts, ops: [{ type: 'post', object: post.id }] });
  return { head: buildHead(key, { heads: [commit.id as CommitId], seq, ts }), commit };
}

/** A signed notice from `key` to `to`, naming one made-up object. */
export function signedNotice(
  key: SecretKey,
  to: PseudonymId,
  fields: { kind?: NoticeKind; ts?: number; n?: number } = {},
): SignedNotice {
  const ids: ObjectId[] = [hashBytes(new TextEncoder().encode(`object ${fields.n ?? Math.random()}`))];
  return buildNotice(key, { to, kind: fields.kind ?? 'mention', ids, ts: fields.ts ?? Date.now() });
}

export function signedClaim(key: SecretKey, name: string, host: string) {
  return buildHandleClaim(key, { name, host, ts: Date.now() });
}

/** Status and name of a JSON error answer, e.g. '404 NotFound' (it must carry a message too). */
export async function errorName(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: string; message?: string };
  if (typeof body.message !== 'string')
    throw new Error(`not an error answer: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return `${res.status} ${body.error}`;
}

export function put(url: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'PUT', body: body as BodyInit, headers });
}

export function postJson(url: string, value: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
}

/**
 * A request signed by `key` (request-auth.ts): the signed path is the URL's
 * path and query exactly as sent, the signed body the body bytes, the signed
 * host the URL's host, with a fresh nonce.
 */
export function signedFetch(
  url: string,
  init: { method?: string; body?: Uint8Array | string; headers?: Record<string, string> } = {},
  key: SecretKey = aliceKey,
  ts = Date.now(),
): Promise<Response> {
  const method = init.method ?? 'GET';
  const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : (init.body ?? new Uint8Array());
  const { pathname, search, host } = new URL(url);
  const auth = signRequest(key, { method, path: pathname + search, body, ts, host, nonce: newRequestNonce() });
  return fetch(url, {
    method,
    headers: { ...auth, ...init.headers },
    ...(init.body !== undefined && { body: body as BodyInit }),
  });
}

/** PUT /v1/blobs/:id of `bytes` as `key`, signed. */
export function putBlob(hubUrl: string, id: string, bytes: Uint8Array, key: SecretKey = aliceKey): Promise<Response> {
  return signedFetch(`${hubUrl}/v1/blobs/${id}`, { method: 'PUT', body: bytes }, key);
}

/** Resolves once `condition` holds, checking every 20 ms. @throws after `timeoutMs` with `what`. */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The current heads a hub answers for `authors`, as HeadJson by author. */
export async function headsOf(
  hubUrl: string,
  authors: readonly string[],
): Promise<Record<string, { seq: number; sig: string }>> {
  const res = await fetch(`${hubUrl}/v1/heads?authors=${authors.join(',')}`);
  return ((await res.json()) as { heads: Record<string, { seq: number; sig: string }> }).heads;
}

export async function statusOf(hubUrl: string): Promise<HubStatus> {
  return (await (await fetch(`${hubUrl}/v1/status`)).json()) as HubStatus;
}
