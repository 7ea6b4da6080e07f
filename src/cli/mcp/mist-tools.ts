/**
 * The `mist` verbs as MCP tools (tools.ts spreads them into its table): an
 * agent shares an artifact in one call, by its name and its text, and the
 * commit carries the agent's provenance like any other it signs.
 */
import { z } from 'zod';
import { createMist, deleteMist, forkMist, updateMist } from '../commands/mists.ts';
import { listMists, readMist } from '../commands/mist-read.ts';
import { ARTIFACT_TYPES } from '../../protocol/mist-types.ts';
import { SENT, type McpTool, tool } from './tool.ts';

const mistId = z.string().describe('a mist id (16 hex digits, as mist-list gives), or AUTHOR/ID');
const fields = {
  title: z.string().optional().describe('a title (at most 500 characters)'),
  description: z.string().optional().describe('what it is (at most 10,000 characters)'),
  tags: z.array(z.string()).optional().describe('at most 10 tags, without #'),
};
const MIST =
  'Mist = { id, author, handle, name, title, description, tags, artifact, language, size, content, created, ' +
  'updated, versions, forkOf: null | { author, mist, depth }, agent }';
const fileOf = (name: string, content: string) => ({ name, bytes: new TextEncoder().encode(content) });

export const MIST_TOOLS: Readonly<Record<string, McpTool>> = {
  'mist-create': tool({
    description:
      'Share a file as a mist: a permanent, verifiable artifact in your feed, its type and language detected ' +
      'from its name and text. The same file again answers the mist already there ({ id, existing: true }). ' +
      `Answers { id, object, commit, existing, sent, queued, ... }. ${SENT}`,
    input: {
      name: z.string().describe('the file name, e.g. validate.py (a name, never a path)'),
      content: z.string().describe('the file, as text (at most 10 MiB)'),
      ...fields,
      secret: z.boolean().optional().describe('sealed: only whoever holds its link (`link`, `linkKey`) reads it'),
    },
    run: (context, args) =>
      createMist(context, fileOf(args.name, args.content), { ...args, ...(args.tags && { tag: args.tags }) }),
  }),
  'mist-list': tool({
    description:
      'Your public mists and those of the people you follow, latest updated first (mine: your own, the secret ones ' +
      `too). Answers { mists: Mist[] }, ${MIST}.`,
    reads: true,
    input: {
      type: z
        .enum(ARTIFACT_TYPES as [string, ...string[]])
        .optional()
        .describe('only this kind'),
      mine: z.boolean().optional().describe('only your own'),
    },
    run: (context, args) => listMists(context, args),
  }),
  'mist-read': tool({
    description:
      'A mist and its file, checked against its signed version. Answers Mist & { text (null when not UTF-8), ' +
      'anchors (top-level functions and classes), history: { object, ts, size }[] }.',
    reads: true,
    input: { id: z.string().describe('a mist id (16 hex digits), AUTHOR/ID, or a secret mist’s link') },
    run: (context, args) => readMist(context, args.id, {}),
  }),
  'mist-update': tool({
    description:
      'A new version of your mist: new text, or new words about it; the id stays. Answers { id, object, commit, ' +
      `sent, ... }. ${SENT}`,
    input: {
      id: mistId,
      name: z.string().optional().describe('the file name of the new text (default: the mist’s)'),
      content: z.string().optional().describe('the new text'),
      ...fields,
    },
    run: (context, args) => {
      const file = args.content === undefined ? undefined : { ...fileOf(args.name ?? '', args.content) };
      return updateMist(context, args.id, file && { bytes: file.bytes, ...(args.name && { name: args.name }) }, {
        ...args,
        ...(args.tags && { tag: args.tags }),
      });
    },
  }),
  'mist-delete': tool({
    description: `Delete your mist: every version stops showing. Answers { id, commit, sent, ... }. ${SENT}`,
    input: { id: mistId },
    run: (context, args) => deleteMist(context, args.id),
  }),
  'mist-fork': tool({
    description:
      'Make a mist of your own from someone’s, naming it as the parent (a fork of a fork stops at depth 5: ' +
      `ForkTooDeep). Answers { id, object, commit, sent, ... }. ${SENT}`,
    input: { id: mistId },
    run: (context, args) => forkMist(context, args.id),
  }),
};
