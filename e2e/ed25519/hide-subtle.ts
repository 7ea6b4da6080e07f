/**
 * Run before the verify worker's own script (ed25519-rule.spec.ts joins the
 * two): hides crypto.subtle from the worker, as in a browser without WebCrypto
 * Ed25519, so pickVerify falls back to noble. Throws if it cannot, so the
 * worker fails instead of quietly testing WebCrypto twice.
 */
export {};

Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true });
if (globalThis.crypto.subtle !== undefined) throw new Error('crypto.subtle could not be hidden');
