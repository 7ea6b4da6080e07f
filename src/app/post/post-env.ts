/**
 * What a post needs from the screen around it: who is looking (the active
 * pseudonym: every action is signed by it) and how to open the composer for a
 * reply or a quote.
 */
import { createContext, useContext } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';

export interface ComposeTarget {
  readonly kind: 'reply' | 'quote';
  readonly item: TimelineItem;
}

export interface PostEnv {
  readonly viewer: PseudonymId;
  /** The viewer's home hub: where its link posts are fetched from (a link names it). */
  readonly home?: string;
  readonly compose: (target: ComposeTarget) => void;
}

export const PostEnvContext = createContext<PostEnv | undefined>(undefined);

/** Who is looking, where there is someone (a link opened in a fresh browser has no one). */
export function useViewer(): PseudonymId | undefined {
  return useContext(PostEnvContext)?.viewer;
}

/** @throws Error outside a ComposeHost. */
export function usePostEnv(): PostEnv {
  const env = useContext(PostEnvContext);
  if (!env) throw new Error('murmur: a post rendered outside a ComposeHost');
  return env;
}
