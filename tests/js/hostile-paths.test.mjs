// Refusals of requested exports name the value and what is wrong (issue 9, item 6), and a
// manifest's paths stay inside its folder (item 7).
import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveExportUrl } from "../../assets/js/data/export-loader.js";
import { displayPath, sameSiteUrl } from "../../assets/js/data/fetch-file.js";

const PAGE = "http://127.0.0.1:8000/";

test("a malformed escape is refused by name, not as 'URI malformed'", () => {
  assert.throws(() => resolveExportUrl("?export=%25zz.json", PAGE), {
    message: '?export=%zz.json was refused: a "%" must start an escape like %20',
  });
});

test("a # or ? inside the requested path is refused by name", () => {
  assert.throws(() => resolveExportUrl("?export=%23x.json", PAGE), {
    message: '?export=#x.json was refused: a path cannot hold "?" or "#"',
  });
  assert.throws(() => resolveExportUrl("?export=a%3Fb.json", PAGE), /^Error: \?export=a\?b\.json was refused: a path cannot hold/);
});

test("manifest paths stay inside the manifest's folder", () => {
  const manifest = "http://127.0.0.1:8000/exports/mlp_weights.json";
  const folder = "http://127.0.0.1:8000/exports/";
  assert.equal(sameSiteUrl("mlp_weights/000_init.safetensors", manifest, { within: folder }), `${folder}mlp_weights/000_init.safetensors`);
  for (const path of ["../../../etc/passwd", "../index.html", "mlp_weights/../../x.safetensors", "%2e%2e/x"]) {
    assert.throws(() => sameSiteUrl(path, manifest, { within: folder }), /leaves its folder/, path);
  }
});

test("a file name with a broken escape is still shown", () => {
  assert.equal(displayPath("http://127.0.0.1:8000/exports/%E0%A4%A.json"), "exports/%E0%A4%A.json");
});
