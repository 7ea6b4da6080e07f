/** Several tabs of one browser profile, for tests: one database, one lock manager, one channel name. */
import { FakeLocks } from './fake-locks.ts';
import { type Device, openDevice } from './device.ts';

/** Opens `n` tabs of the profile named `profile` (its database and channel names; unique per test). */
export async function openProfileTabs(profile: string, n: number): Promise<Device[]> {
  const locks = new FakeLocks();
  const opened: Device[] = [];
  for (let i = 0; i < n; i++) {
    const channel = new BroadcastChannel(`${profile}-channel`);
    opened.push(await openDevice({ dbName: profile, deps: { tabLocks: locks, tabChannel: channel } }));
  }
  return opened;
}
