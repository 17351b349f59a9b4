// The process supervision of `npm start` (and of the fault test, which runs the same code): each service is a
// child process; one that exits while the stack is not stopping is started again after a backoff, as Kubernetes
// restarts a pod: 250 ms, doubling to 10 s, back to 250 ms once a child has stayed up for 30 s. The rest serve on.
// stop() sends SIGTERM to every child (each finishes its requests in flight); a second stop() sends SIGKILL.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';

export const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 10_000, resetAfterMs: 30_000 };

export class Supervisor extends EventEmitter {
  /** @type {Map<string, {spec: object, child?: import('node:child_process').ChildProcess, timer?: NodeJS.Timeout, delayMs: number, startedAt: number, restarts: number}>} */
  #services = new Map();
  #stopping = false;
  #killing = false;
  #stopped;
  #allExited = () => undefined;

  /**
   * @param {{ log?: (message: string) => void, backoff?: Partial<typeof DEFAULT_BACKOFF> }} [options]
   */
  constructor({ log = (message) => console.error(`helixgate: ${message}`), backoff = {} } = {}) {
    super();
    this.log = log;
    this.backoff = { ...DEFAULT_BACKOFF, ...backoff };
    this.#stopped = new Promise((resolve) => (this.#allExited = resolve));
  }

  get stopping() {
    return this.#stopping;
  }

  /**
   * Runs `node <script>` as the child `name` and keeps it running.
   * @param {string} name
   * @param {{ script: string, env?: NodeJS.ProcessEnv, cwd?: string, stdio?: import('node:child_process').StdioOptions,
   *   detached?: boolean, opsPort?: number }} spec detached (default true): its own process group, so a Ctrl-C
   *   reaches the supervising script only, which then stops each child once.
   */
  start(name, spec) {
    if (this.#stopping) throw new Error(`the supervisor is stopping; ${name} is not started`);
    if (this.#services.has(name)) throw new Error(`${name} is already supervised`);
    this.#services.set(name, { spec, delayMs: this.backoff.initialMs, startedAt: 0, restarts: 0 });
    this.#launch(name);
  }

  /** The running child of a service (undefined while it waits to be restarted). */
  child(name) {
    return this.#services.get(name)?.child;
  }

  /** How often a service was restarted. */
  restarts(name) {
    return this.#services.get(name)?.restarts ?? 0;
  }

  /** Waits until the service's ops port answers /readyz with 200, across restarts; rejects after timeoutMs. */
  async waitReady(name, timeoutMs = 30_000) {
    const { opsPort } = this.#services.get(name)?.spec ?? {};
    if (!opsPort) throw new Error(`${name} has no ops port to ask`);
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline && !this.#stopping;) {
      try {
        if ((await fetch(`http://127.0.0.1:${opsPort}/readyz`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${name} did not become ready`);
  }

  #launch(name) {
    const service = this.#services.get(name);
    const {
      script,
      env = process.env,
      cwd,
      stdio = ['ignore', 'inherit', 'inherit'],
      detached = true,
      opsPort,
    } = service.spec;
    const childEnv = opsPort ? { ...env, OPS_HOST: '127.0.0.1', OPS_PORT: String(opsPort) } : env;
    let child;
    try {
      child = spawn(process.execPath, [script], { cwd, env: childEnv, stdio, detached });
    } catch (error) {
      // Some spawn failures throw at once instead of emitting 'error': tried again after the backoff.
      this.log(`${name} could not be started: ${error.message}`);
      child = new EventEmitter();
      setImmediate(() => child.emit('exit', null, error.code ?? 'spawn error'));
    }
    service.child = child;
    service.timer = undefined;
    service.startedAt = Date.now();
    this.emit('start', name, child);
    let ended = false;
    const onEnd = (code, signal) => {
      if (ended) return;
      ended = true;
      service.child = undefined;
      this.emit('exit', name, code, signal);
      if (this.#stopping) return this.#checkAllExited();
      if (Date.now() - service.startedAt >= this.backoff.resetAfterMs) service.delayMs = this.backoff.initialMs;
      const delayMs = service.delayMs;
      service.delayMs = Math.min(delayMs * 2, this.backoff.maxMs);
      service.restarts += 1;
      this.log(`${name} exited (${code ?? signal}); restarting it in ${delayMs} ms (restart ${service.restarts})`);
      service.timer = setTimeout(() => {
        if (this.#stopping) return;
        this.#launch(name);
        this.emit('restart', name, service.child);
      }, delayMs);
    };
    // A child that could not be spawned at all (EAGAIN, no memory) has no pid and may never emit 'exit'.
    child.once('error', (error) => {
      this.log(`${name} could not be started: ${error.message}`);
      if (child.pid === undefined) onEnd(null, error.code ?? 'spawn error');
    });
    child.once('exit', onEnd);
  }

  #checkAllExited() {
    if ([...this.#services.values()].every((service) => !service.child)) this.#allExited();
  }

  /**
   * Stops restarting, sends SIGTERM to every child and resolves when all have exited. Called again (a second
   * Ctrl-C), it sends SIGKILL instead.
   */
  stop() {
    if (this.#stopping) {
      if (!this.#killing) this.log('second signal: killing the stack');
      this.#killing = true;
      // The whole process group of each child (detached: its own group), so the tasks a worker runs go too.
      for (const { child, spec } of this.#services.values()) {
        if (!child) continue;
        try {
          if (spec.detached === false) throw new Error('not a group leader');
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
      return this.#stopped;
    }
    this.#stopping = true;
    for (const service of this.#services.values()) {
      clearTimeout(service.timer);
      service.child?.kill('SIGTERM');
    }
    this.#checkAllExited();
    return this.#stopped;
  }
}
