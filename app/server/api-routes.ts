import type { ServerBuild } from "@remix-run/node";
import type { DirectAnswer } from "./console-server";

// The symbol API's resource routes (app/routes/api.*), called straight from the build's route
// table. Remix's own dispatch flattens, ranks and compiles every route of the app on each request
// (twice: once to find the route, once to run it), which costs more than the defaults endpoint
// itself. The API's routes have no UI, no parent loader and no document, so matching among them
// (compiled once, ranked as Remix ranks them) and calling the loader or action is the whole of
// what Remix would do for them.

type RouteModule = ServerBuild["routes"][string]["module"];

interface CompiledRoute {
  id: string;
  pattern: RegExp;
  paramNames: string[];
  score: number;
}

/**
 * What a route may export beside its loader: its GET answered straight from the socket
 * (console-server.ts `DirectAnswer`), or null to be served as usual. It gets the path's parameters
 * as sent (not decoded): a route checks them as strictly as its loader does, or declines.
 */
export type DirectRouteAnswer = (
  req: Parameters<DirectAnswer>[1],
  res: Parameters<DirectAnswer>[2],
  https: boolean,
  params: Record<string, string>,
  limited: Parameters<DirectAnswer>[4],
) => ReturnType<DirectAnswer>;

/** Answers a request under `prefix`; null leaves it to Remix (no API route handles it). */
export type ApiHandler = (request: Request, context?: object) => Promise<Response | null>;

// Remix's ranking: more segments first; static beats dynamic beats a splat.
const STATIC = 10;
const DYNAMIC = 3;
const EMPTY = 1;
const SPLAT_PENALTY = -2;

function compile(id: string, path: string, caseSensitive: boolean): CompiledRoute {
  const segments = path.split("/");
  const paramNames: string[] = [];
  let score = segments.length;
  const parts = segments.map((segment) => {
    if (segment === "*") {
      score += SPLAT_PENALTY;
      paramNames.push("*");
      return "(.*)";
    }
    if (/^:[\w-]+$/.test(segment)) {
      score += DYNAMIC;
      paramNames.push(segment.slice(1));
      return "([^/]+)";
    }
    score += segment === "" ? EMPTY : STATIC;
    return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  return { id, pattern: new RegExp(`^/${parts.join("/")}/*$`, caseSensitive ? "" : "i"), paramNames, score };
}

export function createApiRoutes(
  build: Pick<ServerBuild, "routes">,
  prefix = "api/",
): { matches(pathname: string): boolean; handle: ApiHandler; direct: DirectAnswer } {
  const all = Object.values(build.routes);
  const fullPath = (route: (typeof all)[number]): string => {
    const parent = route.parentId && route.parentId !== "root" ? build.routes[route.parentId] : undefined;
    return [parent ? fullPath(parent) : "", route.path ?? ""].filter(Boolean).join("/");
  };
  const apiRoutes = all.filter((r) => fullPath(r).startsWith(prefix));
  const modules = new Map<string, RouteModule>(apiRoutes.map((r) => [r.id, r.module]));
  for (const [id, module] of modules) {
    if (module.default) throw new Error(`${id} renders a page; only resource routes may live under /${prefix}`);
  }
  const compiled = apiRoutes
    .map((r) => compile(r.id, fullPath(r), r.caseSensitive ?? false))
    .sort((a, b) => b.score - a.score);

  /** The route that answers `pathname` (the best ranked that matches), with its raw parameters. */
  const find = (pathname: string) => {
    for (const route of compiled) {
      const found = route.pattern.exec(pathname);
      if (found) return { route, raw: (i: number) => found[i + 1]! };
    }
    return null;
  };

  const directOf = (id: string) => (modules.get(id) as { direct?: DirectRouteAnswer }).direct;
  // Exact paths by name; a route with parameters by matching, as `handle` does.
  const exact = new Map<string, DirectRouteAnswer>();
  for (const route of apiRoutes) {
    const direct = directOf(route.id);
    if (direct && !/[:*]/.test(fullPath(route))) exact.set(`/${fullPath(route)}`, direct);
  }
  const parametrised = apiRoutes.some((route) => directOf(route.id) && /[:*]/.test(fullPath(route)));
  const NO_PARAMS: Record<string, string> = {};

  return {
    matches: (pathname) => pathname.startsWith(`/${prefix}`),
    direct: (target, req, res, https, limited) => {
      const static_ = exact.get(target);
      if (static_) return static_(req, res, https, NO_PARAMS, limited);
      if (!parametrised || !target.startsWith(`/${prefix}`) || !isPlainPath(target)) return null;
      const found = find(target);
      const direct = found && directOf(found.route.id);
      if (!direct) return null;
      const params = Object.fromEntries(found.route.paramNames.map((name, i) => [name, found.raw(i)]));
      return direct(req, res, https, params, limited);
    },
    handle: async (request, context = {}) => {
      const found = find(new URL(request.url).pathname);
      if (found) {
        const { route, raw } = found;
        const module = modules.get(route.id)!;
        const handler = request.method === "GET" || request.method === "HEAD" ? module.loader : module.action;
        if (!handler) return null;
        const params = Object.fromEntries(route.paramNames.map((name, i) => [name, safeDecode(raw(i))]));
        try {
          const result = await handler({ request, params, context: context as never });
          return result instanceof Response ? result : Response.json(result);
        } catch (thrown) {
          if (thrown instanceof Response) return thrown;
          throw thrown;
        }
      }
      return null;
    },
  };
}

/**
 * A path the URL parser leaves as it is (no dot segment; nothing it would encode, decode or
 * unescape), with no query string: its parameters are what the usual path would see.
 */
const isPlainPath = (target: string): boolean => PLAIN_PATH.test(target) && !DOT_SEGMENT.test(target);
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const DOT_SEGMENT = /\/\.\.?(\/|$)/;

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
