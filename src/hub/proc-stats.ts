/**
 * For tests that hold a hub process to a budget: its CPU time and memory as
 * Linux reports them under /proc/<pid> (the figures `top` and `ps` show),
 * so a test reads the hub's own cost rather than its own.
 * (Not imported by the hub itself.)
 */
import { readFile, writeFile } from 'node:fs/promises';

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on every Linux architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time the process has used, in ms (10 ms resolution). */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from field 3: utime is field 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Resident memory now (VmRSS) and at its peak since the last resetPeakRss (VmHWM), in bytes. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Sets the process's peak (VmHWM) to its resident memory now (clear_refs 5, Linux 4.0+), to measure a peak from here. */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}
