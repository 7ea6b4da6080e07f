/**
 * For the hub benchmark (bench/hub.bench.ts): the arithmetic of a write
 * rate goal on the machine's 2 cores, from what the load generator (this
 * process) and the hub each spend per request. (Not imported by the hub.)
 */
import type { Row } from '../record.ts';
import type { Side } from './compare.ts';

/**
 * This process's CPU per request over the rounds it drives the bare server: what the load generator itself
 * takes from the 2 cores (every request is signed before the rounds; process CPU counts all its threads).
 */
export class GeneratorCpu {
  #us = 0;
  #requests = 0;

  meter(side: Side): Side {
    return {
      pid: side.pid,
      run: async () => {
        const before = process.cpuUsage();
        const r = await side.run();
        const used = process.cpuUsage(before);
        this.#us += used.user + used.system;
        this.#requests += r.requests;
        return r;
      },
    };
  }

  usPerRequest(): number {
    return this.#us / this.#requests;
  }
}

/**
 * The arithmetic of a rate goal on these 2 cores: at `goal` times the bare server's rate, the CPU time each
 * request may take in all, the load generator's share of it, and what that leaves the hub beside what it spends.
 */
export function coreBudget(name: string, goal: number, [rateRow, cpuRow]: Row[], generatorUs: number): string {
  const rate = goal * rateRow!.baselineValue;
  const perRequest = 2e6 / rate;
  const left = perRequest - generatorUs;
  const hub = cpuRow!.value;
  return (
    `${name}: at ${goal}x the bare server's rate (${Math.round(rate).toLocaleString('en-US')} /s) 2 cores hold ` +
    `${perRequest.toFixed(0)} µs of CPU per request; the load generator takes ${generatorUs.toFixed(0)} µs of ` +
    `them, which leaves the hub ${left.toFixed(0)} µs, against the ${hub.toFixed(0)} µs it spends (the goal ` +
    `would need ${((rate * (hub + generatorUs)) / 1e6).toFixed(2)} cores, on a machine also shared with others).`
  );
}
