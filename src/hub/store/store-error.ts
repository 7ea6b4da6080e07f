/**
 * The errors of the hub's own storage, as opposed to a client's request
 * (ProtocolError). A hub that meets one stops rather than guess: it never
 * serves or overwrites data it could not read.
 */
export const STORE_ERROR_NAMES = [
  /**
   * A file (or row) the store wrote cannot be read back as it was written:
   * damaged on disk, edited by hand, or not the store's. The message names
   * the file and the line; nothing is changed, so an operator can repair it.
   */
  'CorruptStore',
] as const;

export type StoreErrorName = (typeof STORE_ERROR_NAMES)[number];

export class StoreError extends Error {
  override readonly name: StoreErrorName;

  constructor(name: StoreErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}
