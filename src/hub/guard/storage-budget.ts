/**
 * What every write that takes disk (blob, head, handle claim, notice) passes
 * once it is checked and just before it is stored: the client address's
 * budget (address-ledger.ts) and the hub's (disk-meter.ts). A refused write
 * stores nothing; a write that turns out to store nothing new (the bytes were
 * already held) is charged nothing.
 */
import type { IncomingMessage } from 'node:http';
import { addressGroup } from './address-group.ts';
import type { AddressLedger, DiskMeter, Release } from '../store/hub-store.ts';
import { type AddressOf, socketAddress } from '../client-address.ts';

export class StorageBudget {
  readonly #addresses: AddressLedger;
  readonly #disk: DiskMeter;
  readonly #addressOf: AddressOf;

  constructor(addresses: AddressLedger, disk: DiskMeter, addressOf: AddressOf = socketAddress) {
    this.#addresses = addresses;
    this.#disk = disk;
    this.#addressOf = addressOf;
  }

  /**
   * Runs `write` (which stores `bytes`) if the client's address and the hub
   * both have room for them, and charges both when `stored(result)` says the
   * bytes were new. The address is charged and the hub's meter counts the
   * bytes durably while `write` runs (their commits overlap the write's own,
   * rather than following it), and both are refunded if `write` fails or
   * stores nothing new; so the write is acknowledged only once paid for, and
   * a crash mid-write can only over-charge one write that was never
   * acknowledged.
   * @throws ProtocolError AddressQuotaExceeded, HubFull (before `write` runs), or what `write` throws (nothing charged)
   */
  async store<T>(
    req: IncomingMessage,
    bytes: number,
    write: () => Promise<T>,
    stored: (result: T) => boolean,
  ): Promise<T> {
    const group = addressGroup(this.#addressOf(req));
    const releaseAddress = await this.#addresses.reserve(group, bytes);
    let releaseDisk: Release | undefined;
    try {
      releaseDisk = await this.#disk.reserve(bytes);
      const charged = this.#addresses.charge(group, bytes);
      const counted = this.#disk.add(bytes);
      // Awaited below; this only keeps a failure that comes before
      // then from counting as unhandled (which ends the process).
      charged.catch(() => undefined);
      counted.catch(() => undefined);
      let result: T;
      try {
        result = await write();
      } catch (error) {
        // The write's own refusal (StaleHead, say) is the answer; a
        // refund that fails leaves an over-charge, which is safe.
        await this.#refund(charged, counted, group, bytes).catch((refundError: unknown) =>
          console.error('hub: an address charge could not be refunded', refundError),
        );
        throw error;
      }
      await Promise.all([charged, counted]);
      if (!stored(result)) await this.#refund(charged, counted, group, bytes);
      return result;
    } finally {
      await releaseDisk?.();
      await releaseAddress();
    }
  }

  /** Takes back the charge and the count once each is durable; one that failed to be written needs none. */
  async #refund(charged: Promise<void>, counted: Promise<void>, group: string, bytes: number): Promise<void> {
    const undo = async (done: Promise<void>, back: () => Promise<void>) => {
      try {
        await done;
      } catch {
        return;
      }
      await back();
    };
    await Promise.all([
      undo(charged, () => this.#addresses.charge(group, -bytes)),
      undo(counted, () => this.#disk.add(-bytes)),
    ]);
  }
}
