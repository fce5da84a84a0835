import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { acceptsEncoding, isCompressibleType } from "./compression";

describe("acceptsEncoding", () => {
  it("accepts a coding the client names, with or without a weight", () => {
    assert.equal(acceptsEncoding("gzip, deflate, br", "br"), true);
    assert.equal(acceptsEncoding("br;q=0.5, gzip;q=1", "gzip"), true);
  });
  it("refuses a coding weighted q=0, even when a wildcard allows the rest", () => {
    assert.equal(acceptsEncoding("br;q=0, gzip", "br"), false);
    assert.equal(acceptsEncoding("*, gzip;q=0", "gzip"), false);
  });
  it("takes a coding not named only through an accepting wildcard", () => {
    assert.equal(acceptsEncoding("deflate", "gzip"), false);
    assert.equal(acceptsEncoding("*", "gzip"), true);
    assert.equal(acceptsEncoding("*;q=0", "gzip"), false);
  });
  it("accepts nothing without the header", () => {
    assert.equal(acceptsEncoding(undefined, "gzip"), false);
    assert.equal(acceptsEncoding("", "br"), false);
  });
});

describe("isCompressibleType", () => {
  it("takes text, JSON and SVG, and leaves images and fonts alone", () => {
    for (const type of ["text/html; charset=utf-8", "text/x-script", "text/css", "application/json", "image/svg+xml"]) {
      assert.equal(isCompressibleType(type), true, type);
    }
    for (const type of ["image/png", "font/woff2", "application/octet-stream", ""])
      assert.equal(isCompressibleType(type), false, type);
  });
});
