/** The mists half of the core's API (issue 20; PROTOCOL.md Mist objects), as the UI sees it through comlink. */
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { MistId } from '../../src/protocol/mists.ts';
import type { ArtifactType } from '../../src/protocol/mist-types.ts';
import type { ForkLink, ForkSeen, MistView } from '../read/mists.ts';
import type { Result } from './api-types.ts';

export type { ForkLink, ForkSeen, MistView };

/** A file to share and what its author says of it. */
export interface NewMist {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly title?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Sealed for whoever holds its link: hubs hold ciphertext only, and it is listed nowhere. */
  readonly secret?: boolean;
}

/** A new version: a new file (its name kept when not given), new words, or both. */
export interface MistChange {
  readonly file?: { readonly name?: string; readonly bytes: Uint8Array };
  readonly title?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
}

export interface MistQuery {
  /**
   * 'mine': the viewer's own, secret ones too; 'following': their own and those of the feeds they follow;
   * 'explore': the public mists of those listed in the home hub's directory (their feeds fetched a few a read).
   */
  readonly scope: 'mine' | 'following' | 'explore';
  readonly type?: ArtifactType;
}

export interface PublishedMistResult {
  readonly id: MistId;
  readonly author: PseudonymId;
  readonly commitId?: CommitId;
  /** True when the same file was shared already: that mist is the answer, and nothing new was made. */
  readonly existing: boolean;
  /** A secret mist's link (its key in the fragment), for its author. */
  readonly link?: string;
}

/** One version of a mist, oldest first. */
export interface MistVersionSummary {
  readonly object: ObjectId;
  readonly ts: number;
  readonly name: string;
  readonly size: number;
}

/** A mist opened: what its shown version says, its file (checked against the version), history and forks. */
export interface MistDetail {
  readonly view: MistView;
  /** The shown version's index in `history` (the latest unless asked). */
  readonly shown: number;
  readonly history: readonly MistVersionSummary[];
  /** The shown version's file name, size and type labels. */
  readonly name: string;
  readonly artifact: ArtifactType;
  readonly language: string | null;
  readonly bytes: Uint8Array;
  /** The file as text, or null when it is not UTF-8 (then only its size and a download are shown). */
  readonly text: string | null;
  /** Top-level functions and classes (`name::symbol`), for code in Python, JavaScript and TypeScript. */
  readonly anchors: readonly string[];
  readonly forkChain: readonly ForkLink[];
  readonly forks: readonly ForkSeen[];
  /** A secret mist's link, for its author (from the private state). */
  readonly link?: string;
  /** True when the viewer is its author (update and delete are theirs). */
  readonly mine: boolean;
}

/** Where a secret mist's link points, as the app's route parses it. */
export interface MistLinkRef {
  readonly hub: string;
  readonly commit: CommitId;
  /** `#k=` and the link secret. */
  readonly key: string;
}

export interface MistsApi {
  createMist(pseudonym: PseudonymId, mist: NewMist): Promise<Result<PublishedMistResult>>;
  updateMist(pseudonym: PseudonymId, mist: MistId, change: MistChange): Promise<Result<PublishedMistResult>>;
  deleteMist(pseudonym: PseudonymId, mist: MistId): Promise<Result<{ commitId: CommitId }>>;
  /** A mist of the viewer's own that starts as `author`'s mist and names it as its parent. */
  forkMist(pseudonym: PseudonymId, author: PseudonymId, mist: MistId): Promise<Result<PublishedMistResult>>;
  /** The mists the viewer's held feeds show, the most recently updated first. */
  listMists(viewer: PseudonymId, query: MistQuery): Promise<MistView[]>;
  /** A mist of a held feed; `version` an index in its history (the latest when absent). Errors: NotFound, ... */
  getMist(viewer: PseudonymId, author: PseudonymId, mist: MistId, version?: number): Promise<Result<MistDetail>>;
  /** A secret mist from its link, opened on this device only (nothing stored, the key never sent). */
  openMistLink(link: MistLinkRef): Promise<Result<MistDetail>>;
}
