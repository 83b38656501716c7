// Reads the import graph of the page's modules (assets/js) and checks the layer
// rules of README's "Layout of the repository": which folder may import what,
// and which folders may touch the DOM. Pure Node, no dependencies; used by
// layers.test.mjs, which also proves on a throwaway tree that it can fail.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** The import map of index.html as the checker assumes it when none is given. */
export const DEFAULT_IMPORT_MAP = { three: "./assets/vendor/three/three.module.js", "three/addons/": "./assets/vendor/three/addons/" };

/** Browser globals that mean "touches the DOM" when model/ or data/ use them bare. */
export const DOM_GLOBALS = [
  "document",
  "window",
  "HTMLElement",
  "HTMLCanvasElement",
  "requestAnimationFrame",
  "localStorage",
  "navigator",
  "location",
  "addEventListener",
];

/** The rules, by the name a violation carries. */
export const RULES = {
  "three-only-in-scene": "only scene/ may import three.js",
  "no-dom": "model/ and data/ never touch the DOM",
  "model-imports-model": "model/ imports only from model/",
  "data-imports-model-data": "data/ imports only from model/ and data/",
  "app-only-from-main": "nothing imports app/ or main.js except main.js (and app/ itself)",
  "no-scene-below": "model/, data/ and panels/ never import scene/",
  resolves: "every relative import names an existing file",
  "inside-root": "imports stay inside the page's module folder",
  "bare-specifier-mapped": "a bare specifier must be mapped by index.html's import map",
  "literal-specifier": "import specifiers are string literals, so the graph can be read",
};

const KEYWORDS_BEFORE_REGEX = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);
const WORD = /[\w$]/;

/**
 * Blanks a module's comments, string contents, template text and regular
 * expression bodies with spaces (newlines kept, so offsets and lines stay
 * true). Returns the blanked `code` and `strings`: the offset of each string's
 * opening quote or backtick → { value, substituted }.
 */
export function blankSource(source) {
  const out = source.split("");
  const strings = new Map();
  const braces = []; // for each open "{": "code", or "template" for a "${"
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  const n = source.length;
  let i = 0;

  // Reads template text from i (just after "`" or a closing "}"); stops after the closing "`" or "${".
  const templateText = (start) => {
    while (i < n) {
      const c = source[i];
      if (c === "\\") {
        blank(i, i + 2);
        i += 2;
      } else if (c === "`") {
        const entry = strings.get(start);
        if (!entry.substituted) entry.value = source.slice(start + 1, i);
        i++;
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        strings.get(start).substituted = true;
        braces.push({ kind: "template", start });
        i += 2;
        return;
      } else {
        blank(i, i + 1);
        i++;
      }
    }
  };

  const previousSignificant = () => {
    let k = i - 1;
    while (k >= 0 && /\s/.test(out[k])) k--;
    if (k < 0) return { char: "", word: "" };
    let w = k;
    while (w >= 0 && WORD.test(out[w])) w--;
    return { char: out[k], word: out.slice(w + 1, k + 1).join("") };
  };

  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      const start = i;
      i++;
      while (i < n && source[i] !== c && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
      strings.set(start, { value: source.slice(start + 1, i), substituted: false });
      blank(start + 1, i);
      i++;
    } else if (c === "`") {
      strings.set(i, { value: null, substituted: false });
      i++;
      templateText(i - 1);
    } else if (c === "{") {
      braces.push({ kind: "code" });
      i++;
    } else if (c === "}") {
      const open = braces.pop();
      i++;
      if (open?.kind === "template") templateText(open.start);
    } else if (c === "/") {
      const { char, word } = previousSignificant();
      const regex = char === "" || (WORD.test(char) ? KEYWORDS_BEFORE_REGEX.has(word) : !/[)\]}"'`]/.test(char));
      if (!regex) {
        i++;
        continue;
      }
      const start = i;
      let inClass = false;
      i++;
      while (i < n && source[i] !== "\n") {
        const r = source[i];
        if (r === "\\") i++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        i++;
      }
      blank(start + 1, i);
      i++;
    } else {
      i++;
    }
  }
  return { code: out.join(""), strings };
}

function lineAt(source, offset) {
  let line = 1;
  for (let k = 0; k < offset; k++) if (source.charCodeAt(k) === 10) line++;
  return line;
}

/**
 * The imports and bare DOM globals of one module's source.
 * imports: [{ specifier (null when not a literal), line, kind: "static" | "dynamic" }]
 * globals: [{ name, line }] for the names in `names` used as globals.
 */
export function parseModule(source, names = DOM_GLOBALS) {
  const { code, strings } = blankSource(source);
  const imports = [];
  const staticRe = /(?<![\w$.])(?:import|export)\b(?:[^;"'`()=]*?\bfrom)?\s*(?=["'])/g;
  for (const match of code.matchAll(staticRe)) {
    // `export "x"` is no statement; `import "x"` and `… from "x"` are.
    if (match[0].startsWith("export") && !/\bfrom$/.test(match[0].trimEnd())) continue;
    const quote = match.index + match[0].length;
    imports.push({ specifier: strings.get(quote)?.value ?? null, line: lineAt(source, match.index), kind: "static" });
  }
  for (const match of code.matchAll(/(?<![\w$.])import\s*\(\s*/g)) {
    const at = match.index + match[0].length;
    const literal = strings.get(at);
    const closes = literal && /^\s*[,)]/.test(code.slice(code.indexOf(code[at], at + 1) + 1));
    const specifier = literal && !literal.substituted && closes ? literal.value : null;
    imports.push({ specifier, line: lineAt(source, match.index), kind: "dynamic" });
  }

  if (names.length === 0) return { imports, globals: [] }; // an empty alternation would match everywhere
  const declared = new Set();
  const declRe = /\b(?:const|let|var|function\*?|class)\s+([\w$]+)/g;
  for (const match of code.matchAll(declRe)) declared.add(match[1]);
  const globals = [];
  const nameRe = new RegExp(`(?<![\\w$])(${names.join("|")})(?![\\w$])`, "g");
  for (const match of code.matchAll(nameRe)) {
    const name = match[1];
    const before = code.slice(0, match.index).trimEnd();
    const after = code.slice(match.index + name.length).trimStart();
    if (before.endsWith(".")) {
      // obj.location is a property; globalThis.document, self.window, window.navigator are the globals.
      const owner = /([\w$]+)\s*\??\.$/.exec(before)?.[1];
      if (!["globalThis", "self", "window"].includes(owner)) continue;
    } else {
      if (declared.has(name)) continue; // a local of the same name
      if (after.startsWith(":") && /[{,]$/.test(before)) continue; // an object key
    }
    globals.push({ name, line: lineAt(source, match.index) });
  }
  return { imports, globals };
}

function listModules(root) {
  const files = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "vendor" && entry.name !== "node_modules") walk(path);
      } else if (/\.m?js$/.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(root);
  return files;
}

const toPosix = (path) => path.split(sep).join("/");

/** The layer of a module path relative to the root: "model", "data", "scene", "panels", "app", "main" or "". */
export function layerOf(relativePath) {
  if (relativePath === "main.js") return "main";
  const top = relativePath.split("/")[0];
  return ["model", "data", "scene", "panels", "app"].includes(top) && relativePath.includes("/") ? top : "";
}

function mappedBy(importMap, specifier) {
  return Object.keys(importMap).some((key) => (key.endsWith("/") ? specifier.startsWith(key) : specifier === key));
}

/** Layer rules broken by one import of a module in layer `from` of a module in layer `to`. */
function edgeRules(from, to) {
  const broken = [];
  if (from === "model" && to !== "model") broken.push("model-imports-model");
  if (from === "data" && to !== "model" && to !== "data") broken.push("data-imports-model-data");
  if (((to === "app" && from !== "app") || to === "main") && from !== "main") broken.push("app-only-from-main");
  if (to === "scene" && ["model", "data", "panels"].includes(from)) broken.push("no-scene-below");
  return broken;
}

/**
 * Checks every .js/.mjs module under `root` (vendor/ folders skipped).
 * Returns violations [{ file (relative, posix), line, rule, message }], sorted by file and line.
 * options.importMap: the "imports" of index.html's import map (bare specifiers it resolves).
 */
export function checkLayers(root, { importMap = DEFAULT_IMPORT_MAP } = {}) {
  const top = resolve(root);
  const violations = [];
  for (const path of listModules(top)) {
    const file = toPosix(relative(top, path));
    const layer = layerOf(file);
    const source = readFileSync(path, "utf8");
    const { imports, globals } = parseModule(source);
    const report = (line, rule, detail) => violations.push({ file, line, rule, message: `${detail}: ${RULES[rule]}` });

    for (const { specifier, line, kind } of imports) {
      if (specifier === null) {
        report(line, "literal-specifier", `a ${kind} import whose specifier is not a plain string`);
        continue;
      }
      const quoted = `imports "${specifier}"`;
      if (specifier.startsWith("./") || specifier.startsWith("../")) {
        const target = resolve(dirname(path), specifier);
        const inside = toPosix(relative(top, target));
        if (inside.startsWith("../") || inside === "..") {
          report(line, "inside-root", `${quoted}, outside the module folder (${toPosix(relative(top, target))})`);
          continue;
        }
        if (!existsSync(target) || !statSync(target).isFile()) {
          report(line, "resolves", `${quoted}, which does not exist (${inside})`);
          continue;
        }
        for (const rule of edgeRules(layer, layerOf(inside))) report(line, rule, `${quoted} (${inside})`);
      } else if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(specifier) || specifier.startsWith("/")) {
        report(line, "bare-specifier-mapped", `${quoted}: use a relative path or an import map entry`);
      } else {
        if (!mappedBy(importMap, specifier)) report(line, "bare-specifier-mapped", `${quoted}, which the import map does not name`);
        if ((specifier === "three" || specifier.startsWith("three/")) && layer !== "scene") {
          report(line, "three-only-in-scene", quoted);
        }
      }
    }
    if (layer === "model" || layer === "data") {
      for (const { name, line } of globals) report(line, "no-dom", `uses the browser global ${name}`);
    }
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** "file:line: [rule] message", one violation per line. */
export function formatViolations(violations, prefix = "") {
  return violations.map((v) => `${prefix}${v.file}:${v.line}: [${v.rule}] ${v.message}`).join("\n");
}

/**
 * Every module the browser loads through static imports from `entry` (a path
 * relative to `pageRoot`, e.g. "assets/js/main.js"), the entry first, then in
 * the order first met: page-relative posix paths. Bare specifiers resolve
 * through `importMap` (keys as in index.html, values relative to the page), so
 * the vendored three.js modules and what they import are included; dynamic
 * imports are not (the first frame does not wait for them).
 */
export function staticImportGraph(pageRoot, entry, { importMap = DEFAULT_IMPORT_MAP } = {}) {
  const top = resolve(pageRoot);
  const seen = new Set();
  const order = [];
  const resolveBare = (specifier) => {
    for (const [key, target] of Object.entries(importMap)) {
      if (key.endsWith("/") ? specifier.startsWith(key) : specifier === key) {
        return resolve(top, target + (key.endsWith("/") ? specifier.slice(key.length) : ""));
      }
    }
    throw new Error(`${specifier}: not in the import map`);
  };
  const visit = (path) => {
    const file = toPosix(relative(top, path));
    if (seen.has(file)) return;
    seen.add(file);
    order.push(file);
    for (const { specifier, kind } of parseModule(readFileSync(path, "utf8"), []).imports) {
      if (kind !== "static") continue;
      if (specifier === null) throw new Error(`${file}: a static import whose specifier is not a plain string`);
      const relativeSpecifier = specifier.startsWith("./") || specifier.startsWith("../");
      visit(relativeSpecifier ? resolve(dirname(path), specifier) : resolveBare(specifier));
    }
  };
  visit(resolve(top, entry));
  return order;
}
