import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";

// Remix's own Node entry, plus the page's CSP nonce (given by the server in the load context):
// on React's streaming scripts, on Remix's deferred-data scripts, and, through the provider, on
// the scripts root renders. Bots get the whole page at once; browsers get it as it streams.

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";
  const whole = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    let body: PassThrough | null = null;
    const ready = () => {
      shellRendered = true;
      const stream = new PassThrough();
      body = stream;
      // A client that disconnects early ends the render: nothing more is written for it.
      stream.on("close", () => abort());
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(stream), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(stream);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        ...(whole ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          // A client that went away mid-stream ("The destination stream closed early") is not a
          // fault of the page: no stack trace for it.
          if (body?.destroyed || request.signal.aborted) return;
          responseStatusCode = 500;
          // Errors before the shell are logged by Remix when the promise rejects.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
