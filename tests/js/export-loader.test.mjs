import assert from "node:assert/strict";
import { test } from "node:test";
import { loadManifest, resolveExportUrl } from "../../assets/js/data/export-loader.js";
import { makeManifest } from "./helpers.mjs";

const PAGE = "http://127.0.0.1:8000/index.html";

test("the default export, or a relative one from ?export=", () => {
  assert.equal(resolveExportUrl("", PAGE), "http://127.0.0.1:8000/exports/mlp_weights.json");
  assert.equal(resolveExportUrl("?export=exports/short.json", PAGE), "http://127.0.0.1:8000/exports/short.json");
  assert.equal(resolveExportUrl("?export=../x/y.json", "http://127.0.0.1:8000/app/index.html"), "http://127.0.0.1:8000/x/y.json");
});

for (const evil of [
  "https://evil.example/x.json",
  "//evil.example/x.json",
  "javascript:alert(1)//.json",
  "/etc/x.json",
  "a\\b.json",
  "data:application/json,{}",
  "exports/x.txt",
]) {
  test(`refused: ?export=${evil}`, () => {
    assert.throws(() => resolveExportUrl(`?export=${encodeURIComponent(evil)}`, PAGE), /^Error: \?export=.* was refused: /);
  });
}

const URL_ = "http://127.0.0.1:8000/exports/mlp_weights.json";
const respond = (status, body) => async () => ({
  ok: status === 200,
  status,
  statusText: status === 404 ? "Not Found" : "",
  text: async () => body,
});

test("manifest problems name the file", async () => {
  await assert.rejects(loadManifest(URL_, respond(404, "")), {
    message: "exports/mlp_weights.json: could not be loaded (HTTP 404 Not Found)",
  });
  await assert.rejects(loadManifest(URL_, respond(200, "{oops")), /^Error: exports\/mlp_weights.json: not valid JSON/);
  const wrong = { ...makeManifest(2), format_version: 7 };
  await assert.rejects(loadManifest(URL_, respond(200, JSON.stringify(wrong))), {
    message: "exports/mlp_weights.json: unsupported format_version 7 (this page reads version 1)",
  });
  await assert.rejects(
    loadManifest(URL_, async () => {
      throw new TypeError("Failed to fetch");
    }),
    { message: "exports/mlp_weights.json: could not be loaded (Failed to fetch)" },
  );
  const manifest = await loadManifest(URL_, respond(200, JSON.stringify(makeManifest(2))));
  assert.equal(manifest.timeline.length, 2);
});
