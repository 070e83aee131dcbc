/**
 * The resident memory of a server and every process under it (a primary and its workers, with
 * WORKERS=N), read from /proc. Linux only; elsewhere it answers NaN.
 */
import { readFileSync, readdirSync } from "node:fs";

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // gone, or not Linux
  }
  return out;
}

/** The process and its descendants. */
export function processTree(pid: number): number[] {
  const seen = [pid];
  for (let i = 0; i < seen.length; i++) seen.push(...children(seen[i]));
  return seen;
}

/** VmRSS of one process in bytes, or 0 when it has gone. */
function rssOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Summed RSS of the tree in bytes, and how many processes it holds. */
export function treeRss(pid: number): { bytes: number; processes: number } {
  const tree = processTree(pid);
  if (process.platform !== "linux") return { bytes: NaN, processes: tree.length };
  return { bytes: tree.reduce((n, p) => n + rssOf(p), 0), processes: tree.length };
}
