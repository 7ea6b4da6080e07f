/**
 * What the command line's bundle runs in place of src/runtime/sha256.ts
 * (vite.cli.config.ts swaps the module): the same functions, on node:crypto.
 * The JavaScript hash is there for browsers, where WebCrypto's digest costs a
 * promise per call; in Node the one-shot node:crypto hash is several times
 * faster per commit (runtime/sha256-node.ts), and the command line hashes
 * every commit and post it reads: a timeline of 50,000 held posts spent
 * about a fifth of its CPU in the JavaScript compression function.
 */
export { sha256Node as sha256, sha256HexNode as sha256Hex } from '../runtime/sha256-node.ts';
