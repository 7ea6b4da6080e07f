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

/**
 * Greatest `seq` of a commit or head. A hub keeps a head only when its seq is
 * strictly greater, so a feed at seq 2^53-1 (the last safe integer) could
 * never move on again; 2^48 leaves any real feed room to keep increasing for
 * ever, and leaves seq + 1 well inside the safe integers.
 */
export const MAX_SEQ = 2 ** 48;

/** Greatest `ts` of a commit or head: 2^48 ms is the year 10889, bounded for the same reason as MAX_SEQ. */
export const MAX_TS = 2 ** 48;
