// workerd's resident memory, from /proc (Linux), and its isolates' heaps, from its inspector.
import { readFileSync, readdirSync } from 'node:fs';
import { workerdPid } from '../bench/cpu.mjs';
import { heapAfterGc, inspectorTargets } from '../bench/inspector.mjs';

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

// The JS heap of each isolate workerd runs (the app's and the local simulators'), in MiB
// after a full collection: what is still reachable. Read while traffic flows; an isolate
// that gets none is left out (see heapAfterGc).
export async function isolateHeapsMiB(inspectorPort) {
  const targets = await inspectorTargets(inspectorPort);
  const readings = await Promise.all(targets.map(async (target) => [target.name, await heapAfterGc(target.url).catch(() => null)]));
  return Object.fromEntries(readings.filter(([, heap]) => heap).map(([name, heap]) => [name, heap.usedSize / 2 ** 20]));
}
