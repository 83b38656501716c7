// deploy.sh installs this as releases/forward.js, loaded by the entry page releases/index.html
// (no inline script: a Content-Security-Policy forbids it). It forwards the visitor to the
// release that index.html links to, keeping the address's ?query and #hash, so a shared link
// like /?export=exports/short.json#snapshot=ep3 opens the same view inside the release.
const release = document.getElementById("release");
if (release) location.replace(release.href + location.search + location.hash);
