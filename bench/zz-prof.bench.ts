import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { fromHex } from '../src/protocol/bytes.ts';
import { type CommitId, hashBytes } from '../src/protocol/ids.ts';
import { buildHead } from '../src/protocol/heads.ts';
import { secretKeyFrom } from '../src/protocol/keys.ts';
import { newRequestNonce, signRequest } from '../src/protocol/request-auth.ts';
import { buildHub } from '../src/hub/testing/hub-build.ts';
import { spawnHub } from '../src/hub/testing/hub-process.ts';
import { keepAliveAgent, runLoad, send } from './hub/load-client.ts';
import { cpuMsOf } from '../src/hub/testing/proc-stats.ts';

test.skipIf(process.env.KIND === 'head')(
  'profile blob put',
  async () => {
    const built = await buildHub();
    const dataDir = await mkdtemp(join(tmpdir(), 'murmur-prof-'));
    const big = '1000000000';
    const env = {
      MURMUR_RATE_IP: big,
      MURMUR_RATE_IP_BURST: big,
      MURMUR_RATE_PSEUDONYM: big,
      MURMUR_RATE_PSEUDONYM_BURST: big,
      MURMUR_SEEN_REQUESTS: big,
      MURMUR_SEEN_REQUESTS_PER_SIGNER: big,
      MURMUR_QUOTA_BYTES: '1000000000000',
      MURMUR_ADDRESS_BYTES: '1000000000000',
      NODE_OPTIONS: process.env.PROF ? '--import /tmp/prof-hook.mjs' : '',
    };
    const hub = await spawnHub(built.main, { dataDir, env });
    const host = new URL(hub.url).host;
    const key = secretKeyFrom(fromHex('11'.repeat(32)));
    const N = 12000;
    const puts = Array.from({ length: N }, (_, i) => {
      const bytes = new Uint8Array(4096);
      new DataView(bytes.buffer).setUint32(0, i + (Date.now() % 100000) * 100000);
      const path = `/v1/blobs/${hashBytes(bytes)}`;
      return {
        path,
        bytes,
        headers: signRequest(key, { method: 'PUT', path, body: bytes, ts: Date.now(), host, nonce: newRequestNonce() }),
      };
    });
    const agent = keepAliveAgent(32);
    const cpu0 = cpuMsOf(hub.child.pid!);
    const t0 = performance.now();
    const r = await runLoad({
      loops: 32,
      durationMs: 60000,
      maxRequests: N,
      expect: [201],
      one: (i) => send(agent, new URL(hub.url + puts[i]!.path), 'PUT', puts[i]!.headers, puts[i]!.bytes),
    });
    const el = performance.now() - t0;
    const cpu = cpuMsOf(hub.child.pid!) - cpu0;
    console.log(
      'rate',
      ((N / el) * 1000).toFixed(0),
      'cpu µs/req',
      ((cpu * 1000) / N).toFixed(0),
      JSON.stringify(r).slice(0, 200),
    );
    agent.destroy();
    await hub.stop('SIGTERM');
  },
  600000,
);

test.skipIf(process.env.KIND !== 'head')(
  'profile head put',
  async () => {
    const built = await buildHub();
    const dataDir = await mkdtemp(join(tmpdir(), 'murmur-prof-'));
    const big = '1000000000';
    const env = {
      MURMUR_RATE_IP: big,
      MURMUR_RATE_IP_BURST: big,
      MURMUR_RATE_PSEUDONYM: big,
      MURMUR_RATE_PSEUDONYM_BURST: big,
      MURMUR_SEEN_REQUESTS: big,
      MURMUR_SEEN_REQUESTS_PER_SIGNER: big,
      NODE_OPTIONS: process.env.PROF ? '--import /tmp/prof-hook.mjs' : '',
    };
    const hub = await spawnHub(built.main, { dataDir, env });
    const TIP = hashBytes(new TextEncoder().encode('tip')) as CommitId;
    const keys = Array.from({ length: 256 }, (_, i) =>
      secretKeyFrom(
        hashBytes(new TextEncoder().encode(`a${i}`))
          ? fromHex(hashBytes(new TextEncoder().encode(`a${i}`)))
          : new Uint8Array(),
      ),
    );
    const N = 15000;
    const heads = Array.from({ length: N }, (_, i) =>
      buildHead(keys[i % 256]!, { heads: [TIP], seq: Math.floor(i / 256) + 1, ts: Date.now() }),
    );
    const agent = keepAliveAgent(32);
    const cpu0 = cpuMsOf(hub.child.pid!);
    const t0 = performance.now();
    const r = await runLoad({
      loops: 32,
      durationMs: 60000,
      maxRequests: N,
      expect: [200],
      one: (i) => send(agent, new URL(`${hub.url}/v1/heads/${heads[i]!.head.author}`), 'PUT', {}, heads[i]!.bytes),
    });
    const el = performance.now() - t0;
    const cpu = cpuMsOf(hub.child.pid!) - cpu0;
    console.log(
      'rate',
      ((N / el) * 1000).toFixed(0),
      'cpu µs/req',
      ((cpu * 1000) / N).toFixed(0),
      JSON.stringify(r).slice(0, 200),
    );
    agent.destroy();
    await hub.stop('SIGTERM');
  },
  600000,
);
