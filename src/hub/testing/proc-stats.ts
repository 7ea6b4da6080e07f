/**
 * For tests that hold a hub process to a budget: its CPU time and memory as
 * Linux reports them under /proc/<pid> (the figures `top` and `ps` show),
 * so a test reads the hub's own cost rather than its own.
 * (Not imported by the hub itself.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on every Linux architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces), from field 3; undefined once gone. */
function statFields(pid: number, thread?: number): string[] | undefined {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15 of stat(5)) in ms, at 10 ms resolution. */
const cpuMsOfFields = (fields: readonly string[]) =>
  ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;

/**
 * User plus system CPU time a process (or one of its threads) has used, in ms; NaN when it cannot be read
 * (gone, or not Linux). With a load generator on its own core, a server's CPU per request says how much
 * work it does even when the generator is the bottleneck.
 */
export function cpuMsOf(pid: number, thread?: number): number {
  const fields = statFields(pid, thread);
  return fields ? cpuMsOfFields(fields) : Number.NaN;
}

/**
 * The CPU time, in ms, of process `root` and every process below
 * it (a browser and its renderers, GPU and utility processes).
 */
export function treeCpuMs(root: number): number {
  const processes = new Map<number, { parent: number; cpuMs: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields) processes.set(Number(name), { parent: Number(fields[1]), cpuMs: cpuMsOfFields(fields) });
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p; p = processes.get(p)?.parent) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, { cpuMs }] of processes) if (inTree(pid)) total += cpuMs;
  return total;
}

/** The child processes of `parent` whose command name starts with `command`. */
export function childrenOf(parent: number, command: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm.startsWith(command) && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent)
        found.push(Number(name));
    } catch {
      // ended while we looked
    }
  }
  return found;
}

/** Resident memory now (VmRSS) and at its peak since the last resetPeakRss (VmHWM), in bytes. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/**
 * Sets the process's peak (VmHWM) to its resident memory now (clear_refs 5, Linux 4.0+), to measure a peak from here.
 */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}
