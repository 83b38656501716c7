// Copies qrcode-generator's ES module (pinned in package.json, MIT) from node_modules into
// assets/vendor/qrcode/ (committed; the page has no build step). The package ships no LICENSE
// file: its MIT notice is the module's own header, kept as is. The display loads it only
// to draw the pad's QR code (panels/pad-invite.js), through the import map's "qrcode-generator".
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeAtomically } from "./write-atomically.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE = join(REPO, "node_modules", "qrcode-generator");
const TARGET = join(REPO, "assets", "vendor", "qrcode");

async function main() {
  const { version, license } = JSON.parse(await readFile(join(PACKAGE, "package.json"), "utf8"));
  const code = await readFile(join(PACKAGE, "dist", "qrcode.mjs"), "utf8");
  await writeAtomically(
    join(TARGET, "qrcode.mjs"),
    `// qrcode-generator@${version} dist/qrcode.mjs (${license}), copied by scripts/vendor-qrcode.mjs\n${code}`,
  );
  console.log(`vendored qrcode-generator@${version} into ${TARGET}`);
}

main().catch((error) => {
  console.error(`vendor-qrcode: ${error.message}`);
  process.exit(1);
});
