// How the vendoring scripts write a file: beside its name, then renamed over it, so an
// interrupted run never leaves a half-written vendored module for the page to load.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export async function writeAtomically(path, text) {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, text);
  await rename(temp, path);
}
