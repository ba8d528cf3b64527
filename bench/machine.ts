// Facts about the machine and the installed packages that the report records next to the numbers.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";

const ROOT = new URL("../", import.meta.url);

/** The version in node_modules/<name>/package.json (read directly: not every package exports it). */
export function pkgVersion(name: string): string {
  try {
    const pj = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, ROOT), "utf8")) as { version?: string };
    return pj.version ?? "?";
  } catch {
    return "not installed";
  }
}

/** The CPU flags that decide which GEMM micro-kernel and which OpenBLAS core type apply. */
export function cpuFlags(): string[] {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const line = info.split("\n").find((l) => l.startsWith("flags")) ?? "";
    const have = new Set(line.split(/\s+/));
    return ["avx2", "fma", "avx512f"].filter((f) => have.has(f));
  } catch {
    return [];
  }
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  cpuFlags: string[];
  memGiB: number;
  os: string;
  node: string;
  STEADY_NUM_THREADS: string | null;
  loadAverage: number[];
  commit: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    cpuFlags: cpuFlags(),
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    STEADY_NUM_THREADS: process.env.STEADY_NUM_THREADS ?? null,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    commit: gitCommit(),
  };
}

/** Threads the native backend and PyTorch should use: STEADY_NUM_THREADS, else every core. */
export function benchThreads(): number {
  const env = Number(process.env.STEADY_NUM_THREADS);
  return Number.isInteger(env) && env > 0 ? env : os.cpus().length;
}

/** Whether Debian's OpenMP OpenBLAS is installed (without it PyTorch's matmul uses reference BLAS). */
export function hasOpenblasOpenmp(): boolean {
  try {
    const out = execFileSync("dpkg", ["-s", "libopenblas0-openmp"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return /Status: install ok installed/.test(out);
  } catch {
    return existsSync("/usr/lib/x86_64-linux-gnu/openblas-openmp");
  }
}
