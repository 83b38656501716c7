// The vendored Three.js (scripts/vendor-three.mjs) is a bundle of only the exports the page
// uses: every `THREE.Name` and named import in assets/js and in the vendored addons must be
// one of its exports, or the page meets `undefined` where it expects a class.

import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { threeNamesIn, threeNamesUsed } from "../../scripts/three-names.mjs";

const vendored = (path) => fileURLToPath(new URL(`../../assets/vendor/three/${path}`, import.meta.url));

test("the vendored three.module.js exports every Three.js name the page and its addons use", async () => {
  const names = await threeNamesUsed(fileURLToPath(new URL("../../assets/js", import.meta.url)), [
    vendored("addons/controls/OrbitControls.js"),
  ]);
  const three = await import(vendored("three.module.js"));
  const missing = names.filter((name) => three[name] === undefined);
  assert.deepEqual(missing, [], "re-vendor: npm install && npm run vendor");
  assert.ok(names.includes("WebGLRenderer") && names.includes("Controls") && names.length > 30, names.join(", "));
});

test("names are read from namespace uses and from named imports, aliases included", () => {
  const page = 'import * as THREE from "three";\nconst scene = new THREE.Scene(); THREE.MathUtils.clamp(1, 0, 2);';
  const addon = "import {\n\tControls,\n\tMOUSE as Buttons,\n\tVector3\n} from 'three';";
  assert.deepEqual(threeNamesIn([page, addon]), ["Controls", "MOUSE", "MathUtils", "Scene", "Vector3"]);
});
