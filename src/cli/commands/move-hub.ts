/**
 * `murmur move-hub URL`: the app's move to another hub (workers/sync/move-hub.ts, the same sequence): the whole
 * feed copied there, the handle claimed there, and the old hub left a signed pointer that followers' devices
 * follow by themselves (PROTOCOL.md, Moving hubs).
 */
import type { MoveProgress } from '../../../workers/api/api-types.ts';
import { moveHub as runMove } from '../../../workers/sync/move-hub.ts';
import type { Answer } from '../answer.ts';
import { type CommandContext, actingAs } from './context.ts';

/** A step in words on stderr, when asked for (--progress) or at a terminal; copying once per tenth. */
function progressOf(context: CommandContext, asked: boolean): (progress: MoveProgress) => void {
  const stderr = context.io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  const shown = asked || stderr.isTTY === true;
  let lastTenth = -1;
  return (progress) => {
    if (!shown) return;
    if (progress.step !== 'copying') return void stderr.write(`murmur: ${progress.step}\n`);
    const { done, total } = progress;
    if (total === 0) return;
    const tenth = Math.floor((done * 10) / total);
    if (tenth === lastTenth && done !== total) return;
    lastTenth = tenth;
    stderr.write(`murmur: copied ${done} of ${total} blobs\n`);
  };
}

export async function moveHub(context: CommandContext, url: string, options: { progress?: boolean }): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const from = me.hubs[0];
  const outcome = await runMove(
    {
      ...device.deps,
      owed: device.pseudonyms.owedPointers(),
      setHome: async (_id, hubs, handle) => device.pseudonyms.setHome(me.name, hubs, handle),
      pushHome: (id) => device.engine.request(id),
    },
    me.id,
    url,
    progressOf(context, options.progress === true),
  );
  const lines = [
    `moved to ${outcome.hubs[0]}`,
    ...(outcome.handle ? [`handle  ${outcome.handle}`] : []),
    outcome.pointerLeft
      ? `${from} points your followers there`
      : `${from} could not be reached: the pointer is left there at the first sync after it answers again`,
  ];
  return {
    json: { from, hubs: outcome.hubs, handle: outcome.handle ?? null, pointerLeft: outcome.pointerLeft },
    text: lines.join('\n'),
  };
}
