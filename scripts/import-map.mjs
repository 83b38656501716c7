// index.html's import map, read the one way the build script and the preload check both need.

/** The "imports" of the import map in `html` (undefined when the page has none). */
export function importMapOf(html) {
  const match = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html);
  return match ? JSON.parse(match[1]).imports : undefined;
}
