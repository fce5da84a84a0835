import pg from "pg";

// Whether a URL leads to a pooler that hands one server session to several clients (PgBouncer in
// transaction or statement mode, or a managed pooler like it). Such a connection keeps no
// session state between transactions: a SET, a LISTEN, a session advisory lock or a named
// prepared statement lands on whichever server session the pooler picks and stays there.
//
// The test asks the server itself, so it does not depend on the pooler's name, port or admin
// console (`SHOW pool_mode` is refused by PostgreSQL and answered only on PgBouncer's console):
// - one client asks `pg_backend_pid()` twice: a session pooler or a direct connection always
//   answers the same pid; a pooler that moved the client between backends answers two;
// - a second client, while the first sits idle, opens a transaction and asks the same: on a direct
//   connection (or a session pooler) two live clients can never share a backend, while a
//   transaction pooler hands it the backend the first client just gave back (PgBouncer reuses the
//   most recently released server connection first). Tried a few times, since another client of
//   the pooler may take that backend in between.

export interface PoolerDetection {
  pooled: boolean;
  /** What was observed, for the log and /performance. */
  detail: string;
}

const ATTEMPTS = 3;

async function backendPid(client: pg.Client, inTransaction: boolean): Promise<number> {
  if (!inTransaction) return (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
  await client.query("begin");
  try {
    return (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
  } finally {
    await client.query("commit");
  }
}

export async function detectPooler(databaseUrl: string): Promise<PoolerDetection> {
  const first = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  const second = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  // A failed connect emits 'error' too; without a handler that would end the process.
  for (const client of [first, second]) client.on("error", () => {});
  try {
    await first.connect();
    await second.connect();
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const a = await backendPid(first, false);
      const b = await backendPid(first, false);
      if (a !== b) return { pooled: true, detail: `one client was served by backends ${a} and ${b}` };
      const shared = await backendPid(second, true);
      if (shared === a) return { pooled: true, detail: `two clients were served by the same backend ${a}` };
    }
    return { pooled: false, detail: "each client keeps a backend of its own" };
  } finally {
    await Promise.all([first.end().catch(() => {}), second.end().catch(() => {})]);
  }
}
