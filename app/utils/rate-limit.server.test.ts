import assert from "node:assert/strict";
import { test } from "node:test";
import {
  clearSignInFailures,
  clientAddress,
  recordSignInFailure,
  SIGN_IN_LIMIT,
  signInKey,
  signInLimit,
} from "./rate-limit.server";

test("five failures in the window pause sign-in; the pause ends when the window moves on", () => {
  const key = "203.0.113.9|pat@example.com";
  const start = 1_000_000;
  for (let i = 0; i < SIGN_IN_LIMIT.attempts; i++) {
    assert.equal(signInLimit(key, start + i).limited, false, `attempt ${i + 1}`);
    recordSignInFailure(key, start + i);
  }
  const paused = signInLimit(key, start + 10);
  assert.equal(paused.limited, true);
  assert.equal(paused.retryAfterSeconds, SIGN_IN_LIMIT.windowMs / 1000);
  assert.equal(signInLimit(key, start + SIGN_IN_LIMIT.windowMs + 1).limited, false);
});

test("a success clears the failures; other emails and addresses are counted apart", () => {
  const key = "203.0.113.9|sam@example.com";
  for (let i = 0; i < SIGN_IN_LIMIT.attempts; i++) recordSignInFailure(key);
  assert.equal(signInLimit(key).limited, true);
  assert.equal(signInLimit("203.0.113.9|other@example.com").limited, false);
  assert.equal(signInLimit("198.51.100.1|sam@example.com").limited, false);
  clearSignInFailures(key);
  assert.equal(signInLimit(key).limited, false);
});

test("the key uses the nearest proxy's client address and the email in any case", () => {
  const request = new Request("http://desk.test/login", { headers: { "X-Forwarded-For": "203.0.113.7, 10.0.0.1" } });
  assert.equal(clientAddress(request), "203.0.113.7");
  assert.equal(signInKey(request, " Pat@Example.com "), "203.0.113.7|pat@example.com");
  assert.equal(clientAddress(new Request("http://desk.test/")), "unknown");
});
