// workerd's resident memory, from /proc (Linux).
import { readFileSync, readdirSync } from 'node:fs';
import { workerdPid } from '../bench/cpu.mjs';

// The workerd serving this port (scripts/bench/cpu.mjs); failing that, the one workerd
// among this process's descendants (its command line may not name the port).
export function findWorkerd(port) {
  const pid = workerdPid(port);
  if (pid) return pid;
  const parents = new Map();
  const commands = new Map();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      parents.set(Number(entry), Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ').pop().split(' ')[1]));
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
    } catch {}
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) if (!ours.has(pid) && ours.has(ppid)) (ours.add(pid), (grew = true));
  }
  const found = [...ours].filter((p) => /(^|\/)workerd\0/.test(commands.get(p) ?? '') || (commands.get(p) ?? '').split('\0')[0].endsWith('workerd'));
  return found.length === 1 ? found[0] : undefined;
}

// VmRSS in MiB, or NaN if the process is gone.
export function rssMiB(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}
