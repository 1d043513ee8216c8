import { performance } from 'node:perf_hooks';

/**
 * A neighbour's traffic for `npm run bench -- purge`: `concurrency` clients in a closed loop over
 * `requests`, each latency recorded, until `stop()` — autocannon runs for a fixed time, and this
 * load must run exactly as long as a purge does.
 */
export interface NeighbourRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
}

export interface LoadSummary {
  latencies: number[];
  requests: number;
  non2xx: number;
  p50: number;
  p99: number;
}

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const summarize = (latencies: number[], non2xx: number): LoadSummary => ({ latencies, requests: latencies.length, non2xx, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });

/** Two runs as one (the idle reference is measured before and after the purges: the machine's load drifts). */
export const merge = (a: LoadSummary, b: LoadSummary): LoadSummary => summarize([...a.latencies, ...b.latencies], a.non2xx + b.non2xx);

export function startLoad(base: string, requests: readonly NeighbourRequest[], concurrency: number): { stop(): Promise<LoadSummary> } {
  let stopping = false;
  let non2xx = 0;
  const latencies: number[] = [];
  const clients = Array.from({ length: concurrency }, async (_, client) => {
    for (let i = client; !stopping; i += 1) {
      const request = requests[i % requests.length]!;
      const started = performance.now();
      const response = await fetch(`${base}${request.path}`, { headers: request.headers });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status < 200 || response.status > 299) non2xx += 1;
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(clients);
      return summarize(latencies, non2xx);
    },
  };
}

/** Runs the load for `seconds` (the idle reference). */
export async function loadFor(base: string, requests: readonly NeighbourRequest[], concurrency: number, seconds: number): Promise<LoadSummary> {
  const load = startLoad(base, requests, concurrency);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return load.stop();
}
