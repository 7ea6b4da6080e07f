/** Protocol limits shared by client and hub. Changing one is a protocol change. */

export const LIMITS = {
  /** Characters (UTF-16 code units are not what people count: we count code points). */
  postBodyChars: 4096,
  /** Canonical bytes of one signed commit. */
  commitBytes: 64 * 1024,
  opsPerCommit: 64,
  parentsPerCommit: 16,
  tagsPerPost: 16,
  tagChars: 64,
  mediaPerPost: 4,
  /** A record dated further ahead than this is refused (clocks drift, not by hours). */
  futureSkewMs: 10 * 60 * 1000,
  /** Canonical bytes of a head or a handle claim. */
  headBytes: 4 * 1024,
  headsPerHead: 16,
  /** Default size limit of one blob on a hub (configurable there). */
  blobBytes: 10 * 1024 * 1024,
} as const;
