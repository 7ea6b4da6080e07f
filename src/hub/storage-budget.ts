/**
 * What every write that takes disk (blob, head, handle claim, notice) passes
 * once it is checked and just before it is stored: the client address's
 * budget (address-ledger.ts) and the hub's (disk-meter.ts). A refused write
 * stores nothing; a write that turns out to store nothing new (the bytes were
 * already held) is charged nothing.
 */
import type { IncomingMessage } from 'node:http';
import { addressGroup } from './address-group.ts';
import type { AddressLedger } from './address-ledger.ts';
import type { DiskMeter } from './disk-meter.ts';

export class StorageBudget {
  readonly #addresses: AddressLedger;
  readonly #disk: DiskMeter;

  constructor(addresses: AddressLedger, disk: DiskMeter) {
    this.#addresses = addresses;
    this.#disk = disk;
  }

  /**
   * Runs `write` (which stores `bytes`) if the client's address and the hub
   * both have room for them, and charges both when `stored(result)` says the
   * bytes were new. The charge is durable before this resolves, so the write
   * is acknowledged only once it is paid for.
   * @throws ProtocolError AddressQuotaExceeded, HubFull (before `write` runs), or what `write` throws (nothing charged)
   */
  async store<T>(req: IncomingMessage, bytes: number, write: () => Promise<T>, stored: (result: T) => boolean): Promise<T> {
    const group = addressGroup(req.socket.remoteAddress);
    const releaseAddress = this.#addresses.reserve(group, bytes);
    let releaseDisk: (() => void) | undefined;
    try {
      releaseDisk = this.#disk.reserve(bytes);
      const result = await write();
      if (stored(result)) {
        this.#disk.add(bytes);
        await this.#addresses.charge(group, bytes);
      }
      return result;
    } finally {
      releaseDisk?.();
      releaseAddress();
    }
  }
}
