import { WebSocket } from "ws";

// A WebSocket client for the broadcaster's tests: keeps every message it gets and waits for the
// one a test expects, without fixed sleeps.

export type Message = { type: string; [key: string]: unknown };

export class TestClient {
  readonly messages: Message[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      this.wake();
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  /** `answerPings: false` plays a dead peer: the connection stays open but pings go unanswered. */
  static open(url: string, headers: Record<string, string> = {}, { answerPings = true } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers, autoPong: answerPings });
      const client = new TestClient(socket);
      socket.once("open", () => resolve(client));
      socket.once("unexpected-response", (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      socket.once("error", reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === "string" || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  ofType(type: string): Message[] {
    return this.messages.filter((m) => m.type === type);
  }

  /** The first message from index `from` on that `match` accepts. */
  async next(match: (m: Message) => boolean, what: string, { from = 0, timeoutMs = 5_000 } = {}): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.closed) throw new Error(`closed (${this.closed.code}) before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async whenClosed(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("timed out waiting for the connection to close");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
