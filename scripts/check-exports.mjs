#!/usr/bin/env node
// Checks every export of a site folder with the page's own validation modules, so deploy.sh
// refuses exactly what the page would refuse (the two can never disagree).
//
//   node scripts/check-exports.mjs SITE_DIR
//
// Every `.json` file under SITE_DIR/exports/ is an export manifest the page can open
// (`?export=`), and exports/mlp_weights.json (the page's default) must exist. Each manifest
// goes through validateManifest (assets/js/data/manifest.js), then every file it lists
// through readSnapshot / readSampleSet (assets/js/data/export-files.js): size, sha256,
// safetensors header, exact tensors, finite values. The modules come from SITE_DIR's own
// assets/js/ (a release is checked by its own rules); a site without them (an older commit,
// a corpus of broken exports) is checked by the modules of the repository this script is in.
//
// Prints one line per problem on stderr, `exports/<file>: problem`, and exits 1 if there is
// any; exits 0 silently otherwise. Exit 2: bad usage or Node too old. Node 20+, no
// dependencies.

import { existsSync, rmSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const USAGE = "usage: node scripts/check-exports.mjs SITE_DIR";
const DEFAULT_EXPORT = "exports/mlp_weights.json";
const MODULES = ["data/manifest.js", "data/export-files.js"];
const OWN_REPO_JS = fileURLToPath(new URL("../assets/js/", import.meta.url));

function stop(message, status) {
  process.stderr.write(`check-exports: ${message}\n`);
  process.exit(status);
}

function parseArgs(argv) {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const unknown = argv.find((arg) => arg.startsWith("-"));
  if (unknown) stop(`unknown option '${unknown}' (${USAGE})`, 2);
  if (argv.length !== 1) stop(`expected one site folder, got ${argv.length} arguments (${USAGE})`, 2);
  if (argv[0] === "") stop(`the site folder is empty (${USAGE})`, 2);
  return path.resolve(argv[0]);
}

function requireNode() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 20) stop(`Node 20 or newer is needed, this is ${process.version}`, 2);
}

/** The assets/js/ folder whose validation modules check this site: its own, else this repository's. */
function modulesFolder(site) {
  const own = path.join(site, "assets/js/");
  if (MODULES.every((name) => existsSync(path.join(own, name)))) return own;
  if (MODULES.every((name) => existsSync(path.join(OWN_REPO_JS, name)))) {
    process.stdout.write(`check-exports: ${site} has no assets/js/${MODULES[1]}; checking with the modules of ${OWN_REPO_JS}\n`);
    return OWN_REPO_JS;
  }
  stop(`neither ${site} nor ${OWN_REPO_JS} holds ${MODULES.join(" and ")}: cannot check the exports`, 1);
}

/**
 * Imports the page's modules from a copy of `folder` in a temporary folder that declares them
 * ES modules: a site has no package.json of its own, and whatever package.json sits above it
 * (a broken one, "type": "commonjs") must not change how Node reads the page's code.
 */
async function loadModules(folder) {
  const copy = await mkdtemp(path.join(tmpdir(), "check-exports-"));
  process.on("exit", () => rmSync(copy, { recursive: true, force: true }));
  await copyModules(folder, copy);
  await writeFile(path.join(copy, "package.json"), '{ "type": "module" }\n');
  const loaded = {};
  for (const name of MODULES) {
    try {
      Object.assign(loaded, await import(pathToFileURL(path.join(copy, name)).href));
    } catch (error) {
      stop(`assets/js/${name}: cannot be loaded (${error.message.split("\n")[0].replaceAll(copy, "assets/js")})`, 1);
    }
  }
  for (const name of ["validateManifest", "readSnapshot", "readSampleSet"]) {
    if (typeof loaded[name] !== "function") stop(`assets/js/data/: the page's modules export no ${name}()`, 1);
  }
  return loaded;
}

/** Copies the .js files below `from` (regular files only, no links) to `to`. */
async function copyModules(from, to) {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) {
      await mkdir(path.join(to, entry.name));
      await copyModules(source, path.join(to, entry.name));
    } else if (entry.isFile() && entry.name.endsWith(".js")) {
      await copyFile(source, path.join(to, entry.name));
    }
  }
}

/** Every .json file under exports/ (symlinks are not followed: validate_site.py refuses them). */
async function manifestPaths(site) {
  const found = [];
  async function walk(folder) {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith(".json")) found.push(full);
    }
  }
  await walk(path.join(site, "exports"));
  return found.sort();
}

function asArrayBuffer(data) {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return whole ? data.buffer : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
}

class Checker {
  constructor(site, modules) {
    this.site = site;
    this.modules = modules;
    this.problems = [];
  }

  /** A path as people know it: relative to the site, with "/" separators. */
  shown(file) {
    return path.relative(this.site, file).split(path.sep).join("/");
  }

  /** The page's messages may carry absolute file paths (file:// URLs here): show them relative to the site. */
  clean(message) {
    // One line, printable: a garbage header's text can end up inside a parser's message.
    const text = String(message).replace(/[\p{Cc}\u2028\u2029]/gu, "?");
    return text.replaceAll(`${pathToFileURL(this.site).href}/`, "").replaceAll(`${this.site}${path.sep}`, "");
  }

  /** The page reads no more than its LIMITS (when its modules have them) of a manifest or a listed file. */
  tooLarge(name, size, limit, context = "") {
    const max = this.modules.LIMITS?.[limit];
    if (!(size > max)) return false;
    this.report(name, `${size} bytes, larger than the ${max} bytes the page accepts for it${context}`);
    return true;
  }

  report(file, problem) {
    const prefix = `${file}: `;
    const text = this.clean(problem);
    this.problems.push(text.startsWith(prefix) ? text : prefix + text);
  }

  async checkManifest(file) {
    const name = this.shown(file);
    if (this.tooLarge(name, (await stat(file)).size, "manifestBytes")) return;
    let json;
    try {
      // As fetch's text(): UTF-8, a byte order mark dropped, bad bytes replaced.
      json = JSON.parse(new TextDecoder().decode(await readFile(file)));
    } catch (error) {
      this.report(name, `not valid JSON (${error.message})`);
      return;
    }
    let manifest;
    try {
      manifest = this.modules.validateManifest(json, pathToFileURL(file).href);
    } catch (error) {
      this.report(name, error.message);
      return;
    }
    const listed = manifest.timeline.map((entry, i) => [`timeline[${i}]`, entry, this.modules.readSnapshot]);
    for (const key of ["probe", "gallery"]) {
      if (manifest[key] !== undefined) listed.push([key, manifest[key], this.modules.readSampleSet]);
    }
    for (const [where, entry, read] of listed) await this.checkFile(name, where, entry, manifest, read);
  }

  /** One file a manifest lists, read from disk and checked by the page's reader for its kind. */
  async checkFile(manifestName, where, entry, manifest, read) {
    const refuse = () => this.report(manifestName, `${where}.file ${JSON.stringify(entry.file)} points outside the release`);
    let file;
    try {
      file = fileURLToPath(entry.url);
    } catch {
      refuse();
      return;
    }
    const name = this.shown(file);
    if (name.startsWith("../") || path.isAbsolute(name)) {
      refuse();
      return;
    }
    const say = (problem) => this.report(name, `${this.clean(problem)} (${where} of ${manifestName})`);
    let real;
    let size;
    try {
      real = await realpath(file);
      const info = await stat(real);
      if (!info.isFile()) throw new Error("not a file");
      size = info.size;
    } catch {
      say("missing from the release");
      return;
    }
    if (this.shown(real).startsWith("../")) {
      refuse();
      return;
    }
    if (this.tooLarge(name, size, "fileBytes", ` (${where} of ${manifestName})`)) return;
    try {
      await read(asArrayBuffer(await readFile(real)), entry, manifest);
    } catch (error) {
      say(error.message);
    }
  }
}

async function main() {
  const given = parseArgs(process.argv.slice(2));
  requireNode();
  let site;
  try {
    site = await realpath(given);
    if (!(await stat(site)).isDirectory()) throw new Error("not a folder");
  } catch {
    stop(`${given} is not a folder`, 2);
  }
  const checker = new Checker(site, await loadModules(modulesFolder(site)));
  const manifests = await manifestPaths(site);
  if (!manifests.includes(path.join(site, DEFAULT_EXPORT))) checker.report(DEFAULT_EXPORT, "missing (the page's default export)");
  for (const file of manifests) await checker.checkManifest(file);
  for (const problem of checker.problems) process.stderr.write(`${problem}\n`);
  process.exitCode = checker.problems.length ? 1 : 0;
}

await main();
