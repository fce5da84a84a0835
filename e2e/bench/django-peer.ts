import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createServerDatabase } from "../../db/test/engines.js";
import { residentMb, ROOT, type RunningServer, stopChild, waitUntilUp } from "./servers.js";

// The bench's peer: a Django admin changelist over the dataset's own tables (django-peer/), from
// Debian's python3-django, python3-psycopg2 and gunicorn, served by gunicorn with 5 sync workers.
// Django's own tables (auth, sessions, content types, admin log) go to a database of their own,
// made here and dropped with the peer (django-peer/peer/settings.py says why).

const PEER_DIR = path.join(ROOT, "e2e", "bench", "django-peer");
// Debian installs the packages for /usr/bin/python3: a python3 found first on PATH (pyenv, a
// virtualenv) would not see them.
const PYTHON = process.env.PEER_PYTHON ?? "/usr/bin/python3";
const PACKAGES = ["python3-django", "python3-psycopg2", "gunicorn"];
const USERNAME = "bench";
const PASSWORD = "bench-password-long-enough";
export const PEER_WORKERS = 5;

const importable = () =>
  spawnSync(PYTHON, ["-c", "import django, psycopg2, gunicorn"], { stdio: "ignore" }).status === 0;

/** Null when the peer can run (after installing Debian's packages if they are missing), else why not. */
export function ensurePeerPackages(log: (line: string) => void): string | null {
  if (importable()) return null;
  const wanted = `${PACKAGES.join(", ")} for ${PYTHON}`;
  if (spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    return `no apt-get on this machine to install ${wanted}`;
  }
  if (process.getuid?.() !== 0) return `not root, so apt-get cannot install ${wanted}`;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", ...PACKAGES], { stdio: "inherit", env }).status === 0;
  log(`Installing ${PACKAGES.join(", ")} with apt-get…`);
  // A machine that has never listed its packages needs one update first.
  if (!install() && !(spawnSync("apt-get", ["update"], { stdio: "inherit", env }).status === 0 && install())) {
    return `apt-get install -y ${PACKAGES.join(" ")} failed`;
  }
  return importable() ? null : `${wanted} still missing after apt-get install`;
}

function manage(args: string[], env: NodeJS.ProcessEnv): void {
  const done = spawnSync(PYTHON, ["manage.py", ...args], { cwd: PEER_DIR, env, encoding: "utf8" });
  if (done.status !== 0) throw new Error(`manage.py ${args.join(" ")} failed:\n${done.stdout}${done.stderr}`);
}

/** Every cookie a response sets, as `name=value` by name. */
function setCookies(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((c) => c.split(";")[0]!.split(/=(.*)/s, 2) as [string, string]));
}

/** Signs in through the admin's own login form, as a browser would; returns the Cookie header. */
async function signIn(baseUrl: string): Promise<string> {
  const form = await fetch(`${baseUrl}/admin/login/?next=/admin/`);
  const csrfCookie = setCookies(form).get("csrftoken");
  const csrfField = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrfCookie || !csrfField) throw new Error(`the Django login form (${form.status}) has no CSRF token`);
  const response = await fetch(`${baseUrl}/admin/login/?next=/admin/`, {
    method: "POST",
    headers: { cookie: `csrftoken=${csrfCookie}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      csrfmiddlewaretoken: csrfField,
      username: USERNAME,
      password: PASSWORD,
      next: "/admin/",
    }),
    redirect: "manual",
  });
  const session = setCookies(response).get("sessionid");
  if (response.status !== 302 || !session) throw new Error(`Django sign-in failed with ${response.status}`);
  return `sessionid=${session}`;
}

/** The master and its workers: gunicorn's memory is all of them. */
function treeRssMb(child: ChildProcess): number | null {
  const master = residentMb(child.pid);
  if (master === null) return null;
  let workers: number[] = [];
  try {
    workers = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).map(Number);
  } catch {
    // Without /proc/…/children the master alone is reported.
  }
  return workers.reduce((total, pid) => total + (residentMb(pid) ?? 0), master);
}

export interface DjangoPeer {
  server: RunningServer;
  /** The superuser's session, as a Cookie header. */
  cookie: string;
  /** The changelist the bench loads: /symbols's default view (no filter, by ticker, 50 a page). */
  changelistPath: string;
  /** Stops gunicorn and drops Django's own database. */
  stop(): Promise<void>;
}

export async function startDjangoPeer(catalogueUrl: string, port: number): Promise<DjangoPeer> {
  const own = await createServerDatabase("sd_bench_django");
  let child: ChildProcess | null = null;
  const stop = async () => {
    if (child) await stopChild(child);
    await own.drop();
  };
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DJANGO_SETTINGS_MODULE: "peer.settings",
      PEER_OWN_URL: own.url,
      PEER_CATALOGUE_URL: catalogueUrl,
      PYTHONDONTWRITEBYTECODE: "1",
      DJANGO_SUPERUSER_PASSWORD: PASSWORD,
    };
    manage(["migrate", "--noinput"], env);
    manage(["createsuperuser", "--noinput", "--username", USERNAME, "--email", "bench@bench.symbol-desk.test"], env);
    const args = ["-m", "gunicorn", "--workers", String(PEER_WORKERS), "--worker-class", "sync"];
    child = spawn(PYTHON, [...args, "--bind", `127.0.0.1:${port}`, "--log-level", "warning", "peer.wsgi:application"], {
      cwd: PEER_DIR,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntilUp(`${url}/admin/login/`, child);
    const started = child;
    return {
      server: {
        name: "Django admin (gunicorn)",
        url,
        process: started,
        rssMb: () => treeRssMb(started),
        stop: (signal) => stopChild(started, signal),
      },
      cookie: await signIn(url),
      changelistPath: "/admin/catalogue/symbol/",
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
