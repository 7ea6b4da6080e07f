/** Hands the core to every component below it (see core-context.ts). */
import type { ReactNode } from 'react';
import { type Core, CoreContext } from './core-context.ts';

export function CoreProvider({ core, children }: { readonly core: Core; readonly children?: ReactNode }) {
  return <CoreContext value={core}>{children}</CoreContext>;
}
