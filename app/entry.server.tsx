import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";

// A page is rendered whole, to one string, with its CSP nonce (given by the server in the load
// context) on Remix's inline scripts and, through the provider, on those root renders.
//
// No loader defers data, so streaming would send nothing earlier; it cost a fifth of a page's CPU
// (React's streaming renderer encodes every piece of text into 2 KB chunks that travel through
// two stream adapters). The one thing that needs a stream is the hydration data: Remix renders it
// chunk by chunk in nested Suspense boundaries (StreamTransfer), reading each chunk as it renders.
// It is read here first, into the cache StreamTransfer reads from, so nothing suspends.

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";
  await readHydrationDataAhead(remixContext);
  const html = renderToString(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  // Bytes, not a string: a string body is first checked character by character for lone surrogates.
  const body = Buffer.from(`<!DOCTYPE html>${html}`);
  return new Response(body, { headers: responseHeaders, status: responseStatusCode });
}

// Remix hands this every error it meets, answers of 4xx included: a path that no route matches, a
// role refused. Only what becomes a 5xx is logged (the server logs those requests as well), so a
// scan of made-up paths does not fill the log with stack traces.
export const handleError: HandleErrorFunction = (error) => {
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(error);
};

type CachedChunk = Promise<void> & { result?: { done: boolean; value: string } };

/**
 * Reads the whole hydration stream and stores each chunk where StreamTransfer (in
 * @remix-run/react's single-fetch.js) looks before it reads one itself: its render cache, keyed
 * by the chunk's position, whose entries carry `result`. The stream it gets is then empty.
 */
async function readHydrationDataAhead(context: EntryContext): Promise<void> {
  const stream = context.serverHandoffStream;
  if (!stream) return;
  const decoder = new TextDecoder();
  const streamCache: Record<number, CachedChunk> = {};
  const reader = stream.getReader();
  for (let position = 0; ; position++) {
    const { done, value } = await reader.read();
    const chunk: CachedChunk = Promise.resolve();
    chunk.result = { done, value: decoder.decode(value, { stream: true }) };
    streamCache[position] = chunk;
    if (done) break;
  }
  context.renderMeta = { ...context.renderMeta, streamCache };
  context.serverHandoffStream = new ReadableStream({ start: (controller) => controller.close() });
}
