/**
 * Timing for the complexity and stall tests on a shared, noisy machine: CPU time of this process
 * rather than wall time, so that being descheduled (another process's load) does not count as
 * our cost. A stall is a gap between two ticks of a 1 ms timer, counted as the smaller of its
 * wall time and the CPU time spent in it: a gap in which we were not running is not our stall.
 */

/** CPU time of this process so far, in ms (user + system, all threads). */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface Measured<T> {
  outcome: T | unknown;
  wallMs: number;
  cpuMs: number;
  /** The longest event-loop stall seen while `work` ran. */
  stallMs: number;
}

/** Runs `work` while a timer measures the longest stall of the event loop. */
export async function measureStalls<T>(work: () => Promise<T>): Promise<Measured<T>> {
  let lastWall = performance.now();
  let lastCpu = cpuMs();
  let stallMs = 0;
  const tick = (): void => {
    const wall = performance.now();
    const cpu = cpuMs();
    stallMs = Math.max(stallMs, Math.min(wall - lastWall, cpu - lastCpu));
    lastWall = wall;
    lastCpu = cpu;
  };
  const probe = setInterval(tick, 1);
  const wallStart = performance.now();
  const cpuStart = cpuMs();
  const outcome = await work().catch((error: unknown) => error);
  const wallMs = performance.now() - wallStart;
  const cpu = cpuMs() - cpuStart;
  clearInterval(probe);
  tick();
  return { outcome, wallMs, cpuMs: cpu, stallMs };
}
