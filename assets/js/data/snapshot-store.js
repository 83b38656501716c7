// Loads timeline snapshots on demand: fetch → parse → check shapes, size,
// sha256 and finiteness → build the network. Keeps an LRU cache of decoded
// snapshots, prefetches neighbours, and while the user scrubs fast it drops
// superseded downloads and never lets an older answer replace a newer one.
import { CAN_HASH, readSnapshot } from "./export-files.js";
import { displayPath, fetchFile, inFile } from "./fetch-file.js";
import { routedFetch } from "./local-files.js";
import { LIMITS } from "./manifest.js";
import { DataError } from "./messages.js";

export class SnapshotStore {
  constructor(manifest, { fetch = routedFetch, capacity = 8, verifyHash = CAN_HASH } = {}) {
    this.manifest = manifest;
    this.fetch = fetch;
    this.capacity = capacity;
    this.verifyHash = verifyHash;
    this.cache = new Map(); // index → snapshot, in least-recently-used-first order
    this.loading = new Map(); // index → { promise, controller, forShow }
    this.latestTicket = 0;
    this.shownTicket = 0;
  }

  get size() {
    return this.manifest.timeline.length;
  }

  /** The decoded snapshot if cached (and mark it recently used), else undefined. */
  cached(index) {
    const snapshot = this.cache.get(index);
    if (snapshot) {
      this.cache.delete(index);
      this.cache.set(index, snapshot);
    }
    return snapshot;
  }

  remember(index, snapshot) {
    this.cache.delete(index);
    this.cache.set(index, snapshot);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value);
  }

  /** Fetch and decode one snapshot (deduplicated while in flight). Rejects with an Error naming the file. */
  load(index) {
    const hit = this.cached(index);
    if (hit) return Promise.resolve(hit);
    const pending = this.loading.get(index);
    if (pending) return pending.promise;
    const controller = new AbortController();
    const promise = this.download(index, controller.signal).finally(() => this.loading.delete(index));
    this.loading.set(index, { promise, controller, forShow: false });
    return promise;
  }

  async download(index, signal) {
    const entry = this.manifest.timeline[index];
    if (!entry) throw new DataError("data.noSnapshot", { index: String(index) });
    const buffer = await fetchFile(entry.url, { signal, fetch: this.fetch, maxBytes: LIMITS.fileBytes });
    return inFile(displayPath(entry.url), async () => {
      const checked = await readSnapshot(buffer, entry, this.manifest, { verifyHash: this.verifyHash });
      const snapshot = { index, entry, ...checked, bytes: buffer.byteLength };
      this.remember(index, snapshot);
      return snapshot;
    });
  }

  /**
   * Load a snapshot to display. Resolves to the snapshot, or to null when the
   * answer is stale (a later show() already displayed something newer).
   * Superseded downloads are aborted, except the oldest one still running, so
   * a long fast drag keeps showing the newest snapshot that has arrived.
   */
  async show(index) {
    const ticket = ++this.latestTicket;
    this.abortSuperseded(index);
    const promise = this.load(index);
    const pending = this.loading.get(index);
    if (pending) pending.forShow = true;
    try {
      const snapshot = await promise;
      if (ticket < this.shownTicket) return null;
      this.shownTicket = ticket;
      return snapshot;
    } catch (error) {
      if (error.name === "AbortError" || ticket !== this.latestTicket) return null;
      throw error;
    }
  }

  abortSuperseded(keepIndex) {
    const shows = [...this.loading.entries()].filter(([index, pending]) => pending.forShow && index !== keepIndex);
    for (const [, pending] of shows.slice(1)) pending.controller.abort();
  }

  /** Warm the cache with every snapshot, one after another; their errors surface when they are shown. */
  async loadAll() {
    for (let index = 0; index < this.size; index++) await this.load(index).catch(() => {});
  }

  /** Warm the cache with the neighbours of `index`; their errors surface when they are shown. */
  prefetch(index) {
    for (const neighbour of [index + 1, index - 1]) {
      if (neighbour >= 0 && neighbour < this.size && !this.cache.has(neighbour)) {
        this.load(neighbour).catch(() => {});
      }
    }
  }
}
