/**
 * What one tab's worker tells the others (BroadcastChannel): change notices
 * (ids only, as the UI's), and "this pseudonym has queued commits" for the
 * tab that leads its sync. All tabs share one IndexedDB, so a notice is all
 * another tab needs to read the change itself.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Change } from '../api/api-types.ts';

export type TabMessage =
  | { readonly type: 'change'; readonly change: Change }
  | { readonly type: 'outbox'; readonly pseudonym: PseudonymId };

/** The part of BroadcastChannel used here (so tests can pass their own). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export const TAB_CHANNEL_NAME = 'murmur-tabs';

export class TabChannel {
  #closed = false;

  readonly #channel: ChannelLike | undefined;
  constructor(channel: ChannelLike | undefined) {
    this.#channel = channel;
  }

  post(message: TabMessage): void {
    if (this.#closed) return; // a closing worker's last notices have no one to reach
    try {
      this.#channel?.postMessage(message);
    } catch (error) {
      // closed channel: the other tabs catch up on their next read
      console.error('murmur: could not tell the other tabs', error);
    }
  }

  /** Each message another tab posted (never this tab's own). */
  onMessage(listener: (message: TabMessage) => void): void {
    this.#channel?.addEventListener('message', (event) => {
      const data = event.data as Partial<TabMessage> | null;
      if (data?.type === 'change' && typeof data.change?.kind === 'string') listener(data as TabMessage);
      else if (data?.type === 'outbox' && typeof data.pseudonym === 'string') listener(data as TabMessage);
    });
  }

  close(): void {
    this.#closed = true;
    this.#channel?.close();
  }
}
