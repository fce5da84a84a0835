import http from "node:http";

// One GET as a browser makes it: over the agent's connections, honouring `Connection: close` (a
// new connection for the next request). Timed to the last byte, read but not decompressed.

export interface Timed {
  status: number;
  ms: number;
  bytes: number;
}

export function timedGet(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { agent, headers, timeout: timeoutMs }, (response) => {
      let bytes = 0;
      response.on("data", (chunk: Buffer) => (bytes += chunk.length));
      response.on("error", reject);
      response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, bytes }));
    });
    request.on("timeout", () => request.destroy(new TimeoutError(`${url}: no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

export class TimeoutError extends Error {}
