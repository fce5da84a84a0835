import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { UNSAFE_ErrorResponseImpl as ErrorResponse } from "@remix-run/router";
import { handleError } from "./entry.server";

// What Remix's errors leave in the server log: a 4xx is the client's doing and leaves nothing.

function logged(error: unknown): unknown[][] {
  const errors = mock.method(console, "error", () => {});
  try {
    handleError(error, { request: new Request("http://desk.example/x"), params: {}, context: {} });
  } finally {
    errors.mock.restore();
  }
  return errors.mock.calls.map((call) => call.arguments);
}

describe("the errors Remix reports", () => {
  it("logs nothing for a 4xx: a path no route matches, a refused role", () => {
    // As Remix makes it for a path that no route matches: the status, with an Error inside.
    assert.deepEqual(logged(new ErrorResponse(404, "Not Found", new Error('No route matches URL "/x"'), true)), []);
    assert.deepEqual(logged(new ErrorResponse(403, "", { requiredRole: "operator" })), []);
  });

  it("logs what becomes a 5xx, once", () => {
    const failure = new Error("relation does not exist");
    assert.deepEqual(logged(failure), [[failure]]);
    const unavailable = new ErrorResponse(503, "", "database unreachable");
    assert.deepEqual(logged(unavailable), [[unavailable]]);
  });
});
