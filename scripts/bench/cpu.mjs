// CPU accounting from /proc (Linux). The machine may be shared: wall-clock numbers drop
// when other work runs, while the CPU time a workerd process spends per request moves
// much less, so both are reported.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

// Every process: ppid, user+system CPU ticks, command line.
function processes() {
  const list = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the ")" that closes the command name: state ppid ... utime(12) stime(13).
      const after = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ').pop().split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      list.set(Number(entry), { ppid: Number(after[1]), ticks: Number(after[11]) + Number(after[12]), cmdline });
    } catch {}
  }
  return list;
}

function descendantsOfThisProcess(list) {
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of list) if (!ours.has(pid) && ours.has(p.ppid)) (ours.add(pid), (grew = true));
  }
  return ours;
}

// The workerd process Miniflare started for the server on this port.
export function workerdPid(port) {
  const list = processes();
  for (const pid of descendantsOfThisProcess(list)) {
    const { cmdline } = list.get(pid) ?? {};
    if (cmdline?.includes('workerd') && cmdline.includes(`127.0.0.1:${port}`)) return pid;
  }
  return undefined;
}

// CPU milliseconds a process has used so far.
export function cpuMs(pid) {
  if (!pid) return NaN;
  try {
    const after = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(after[11]) + Number(after[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

// CPU milliseconds a process has used so far, to the microsecond: its threads' run time in
// the scheduler's statistics. utime and stime count 10 ms ticks, too coarse for timing one
// request; this falls back to them where schedstat is missing.
export function preciseCpuMs(pid) {
  if (!pid) return NaN;
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return NaN;
  }
  let ns = 0;
  for (const task of tasks) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return Number.isFinite(ns) && ns > 0 ? ns / 1e6 : cpuMs(pid);
}

function machineTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { total, busy: total - fields[3] - (fields[4] ?? 0) };
}

// CPU used by other processes, as a share of all cores, between start() and stop().
// Ours are this process and its descendants (workerd).
export function otherProcessesCpu() {
  const ownTicks = () => {
    const list = processes();
    return [...descendantsOfThisProcess(list)].reduce((sum, pid) => sum + (list.get(pid)?.ticks ?? 0), 0);
  };
  let start;
  return {
    start() {
      try {
        start = { machine: machineTicks(), own: ownTicks() };
      } catch {}
    },
    stop() {
      if (!start) return NaN;
      const machine = machineTicks();
      const own = ownTicks() - start.own;
      return Math.max(0, (machine.busy - start.machine.busy - own) / (machine.total - start.machine.total));
    },
  };
}
