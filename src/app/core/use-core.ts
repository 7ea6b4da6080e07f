/** The core of the nearest <CoreProvider> (core-context.ts). */
import { useContext } from 'react';
import { type Core, type CoreCalls, CoreContext } from './core-context.ts';

/**
 * The whole core: its calls and its change notices.
 * @throws TypeError when no <CoreProvider> is above the component (a wiring mistake, not a runtime condition).
 */
export function useCoreContext(): Core {
  const core = useContext(CoreContext);
  if (!core) throw new TypeError('murmur: useCore needs a <CoreProvider> above the component');
  return core;
}

/**
 * The core's calls (every call is a message to the worker in the app, a plain call in a component test).
 * @throws TypeError when no <CoreProvider> is above the component.
 */
export function useCore(): CoreCalls {
  return useCoreContext().calls;
}
