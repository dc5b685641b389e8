/** What Linux's /proc says of a process: its CPU time and its resident memory, for the benchmarks. */
import { readdir, readFile } from "node:fs/promises";

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux). */
export const HZ = 100;

/**
 * /proc/<pid>/stat: the command name and the fields after it, from the state (field 3) on, so fields[11]
 * is utime (field 14). The name may hold spaces: the fields start after its closing parenthesis.
 */
async function statOf(pid: number | "self"): Promise<{ comm: string; fields: string[] }> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const close = stat.lastIndexOf(")");
  return { comm: stat.slice(stat.indexOf("(") + 1, close), fields: stat.slice(close + 2).split(" ") };
}

/** CPU time used so far (user + system), in clock ticks. */
export async function cpuTicks(pid: number): Promise<number> {
  const { fields } = await statOf(pid);
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
}

/** Resident memory now and at its peak (VmHWM: the high-water mark over the process's life), MiB. */
export async function memoryOf(pid: number): Promise<{ now: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const mib = (field: string) =>
    Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return { now: mib("VmRSS"), peak: mib("VmHWM") };
}

/**
 * CPU ticks of every process whose command name is `comm` (e.g. all of Postgres's backends and workers),
 * with the children they reaped (cutime, cstime), so a backend that exited between two readings still
 * counts: its time moved to the postmaster's.
 */
export async function cpuTicksOfAll(comm: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { comm: name, fields } = await statOf(Number(entry));
      if (name !== comm) continue;
      total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/**
 * CPU ticks of this process's children that have exited and been waited for (cutime + cstime): the CPU
 * of a load generator run as a child process (lib/wrk.ts), once it has finished.
 */
export async function reapedChildrenTicks(): Promise<number> {
  const { fields } = await statOf("self");
  return Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16 and 17)
}

/**
 * The whole machine's CPU time from /proc/stat's first line, in clock ticks: `busy` (running anything),
 * `steal` (a virtual machine's cores wanted to run but the host ran something else) and `total`. Between
 * two readings, busy / total is how much of the cores this machine's own work used.
 */
export async function machineTicks(): Promise<{ busy: number; steal: number; total: number }> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n", 1)[0]!;
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest is counted in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, steal, total: busy + idle + iowait + steal };
}
