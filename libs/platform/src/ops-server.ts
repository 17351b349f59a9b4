import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** A named check behind /readyz: resolves when the dependency answers, throws when it does not. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface OpsServer {
  readonly port: number;
  readonly metrics: Registry;
  addReadinessCheck(check: ReadinessCheck): void;
  /** Startup is complete: /readyz runs its checks from now on (until then it answers 503 "starting"). */
  setStarted(): void;
  /** Marks the process as going away: /readyz answers 503 from now on. */
  setShuttingDown(): void;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: ReadinessCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 2 s')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/** The small HTTP port for Kubernetes probes and Prometheus: /healthz, /readyz, /metrics. */
export async function startOpsServer(options: {
  host: string;
  port: number;
  service: string;
  logger: Logger;
}): Promise<OpsServer> {
  const metrics = new Registry();
  metrics.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: metrics });
  const checks: ReadinessCheck[] = [];
  let started = false;
  let shuttingDown = false;

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, { status: 'method not allowed' });
      return;
    }
    if (path === '/healthz') {
      send(200, { status: 'ok' });
      return;
    }
    if (path === '/readyz') {
      if (shuttingDown) {
        send(503, { status: 'shutting down' });
        return;
      }
      if (!started) {
        send(503, { status: 'starting' });
        return;
      }
      void Promise.all(checks.map(async (check) => [check.name, await runCheck(check)] as const)).then((results) => {
        const failed = results.filter(([, error]) => error !== undefined);
        const detail = Object.fromEntries(results.map(([name, error]) => [name, error ?? 'ok']));
        send(failed.length ? 503 : 200, { status: failed.length ? 'not ready' : 'ready', checks: detail });
      });
      return;
    }
    if (path === '/metrics') {
      void metrics.metrics().then(
        (text) => send(200, text, metrics.contentType),
        (error: unknown) => send(500, { status: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    send(404, { status: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'ops server listening (/healthz /readyz /metrics)');

  return {
    port,
    metrics,
    addReadinessCheck: (check) => void checks.push(check),
    setStarted: () => {
      started = true;
    },
    setShuttingDown: () => {
      shuttingDown = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
