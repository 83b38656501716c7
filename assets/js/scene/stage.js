// The three.js stage: renderer, camera, orbit controls (mouse and touch),
// resize, reset view, on-demand rendering, HTML labels pinned to 3D points,
// and screen-space picking of neurons. Renders only when something changed.
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";

// The home view looks from the left-front and a little above, at a distance that fits the network.
const HOME_DIRECTION = new THREE.Vector3(-11, 10, 22).normalize();
const FIT_MARGIN = 0.94; // the network fills at most 94 % of the stage
const RESET_MS = 700;

export class Stage {
  constructor(canvas, labelLayer) {
    this.canvas = canvas;
    this.labelLayer = labelLayer;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, alpha: true, powerPreference: "high-performance" });
    this.pixelRatio = Math.min(window.devicePixelRatio || 1, 2);
    this.renderer.setPixelRatio(this.pixelRatio);
    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(38, 1, 0.1, 300);
    this.home = { position: HOME_DIRECTION.clone().multiplyScalar(30), target: new THREE.Vector3() };
    this.camera.position.copy(this.home.position);
    this.fitPoints = null;
    this.userMoved = false;
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener("start", () => {
      this.userMoved = true;
      this.reset = null;
    });
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.09;
    this.controls.minDistance = 6;
    this.controls.maxDistance = 90;
    this.controls.addEventListener("change", () => this.requestRender());
    this.scene.add(new THREE.HemisphereLight(0xe8eeff, 0x2a3040, 2.8));
    const key = new THREE.DirectionalLight(0xffffff, 1.3);
    key.position.set(-10, 14, 18);
    this.scene.add(key);
    this.labels = [];
    this.labelView = new Float64Array(34).fill(Number.NaN);
    this.size = { width: 0, height: 0 };
    this.frameRequested = false;
    this.onBeforeRender = () => {};
    this.onAfterRender = () => {};
    this.reset = null;
    this.projector = new THREE.Matrix4();
    this.scratch = new THREE.Vector3();
    this.raycaster = new THREE.Raycaster();
    this.pointer = new THREE.Vector2();
    this.frame = this.frame.bind(this);
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement);
    this.resize();
  }

  add(object) {
    this.scene.add(object);
  }

  remove(object) {
    this.scene.remove(object);
  }

  /** Remove every label (the network view rebuilds its own for another export). */
  clearLabels() {
    for (const { element } of this.labels) element.remove();
    this.labels = [];
    this.labelView.fill(Number.NaN);
  }

  /** Compile the shaders now (in parallel where the GPU allows) rather than on the first frame. */
  compile() {
    this.renderer.compileAsync(this.scene, this.camera).catch(() => {}); // the first render compiles anyway
  }

  resize() {
    const { clientWidth: width, clientHeight: height } = this.canvas.parentElement;
    if (!width || !height) return;
    this.size = { width, height }; // read here, not per frame: a read after the panels' writes forces a layout
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.fov = 36;
    this.camera.updateProjectionMatrix();
    this.fitHome();
    this.requestRender();
  }

  /** Render at `scale` × the device's pixel ratio (the frame-rate guard's lowest detail). */
  setPixelScale(scale) {
    this.renderer.setPixelRatio(this.pixelRatio * scale);
    this.resize();
  }

  /** The points (Float32Array xyz) the home view must show; the home view is refitted to them. */
  setFitPoints(points) {
    this.fitPoints = points;
    this.fitHome();
  }

  /**
   * Find the home distance at which every fit point projects inside the margin (bisection), then
   * shift the view so the network sits in the middle of the stage (perspective makes it lopsided).
   */
  fitHome() {
    const points = this.fitPoints;
    if (!points) return;
    new THREE.Box3().setFromArray(points).getCenter(this.home.target);
    const camera = this.camera.clone();
    const bounds = { minX: 0, maxX: 0, minY: 0, maxY: 0 };
    const project = (distance) => {
      camera.position.copy(this.home.target).addScaledVector(HOME_DIRECTION, distance);
      camera.lookAt(this.home.target);
      camera.updateMatrixWorld();
      Object.assign(bounds, { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity });
      for (let i = 0; i < points.length; i += 3) {
        const p = this.scratch.set(points[i], points[i + 1], points[i + 2]).project(camera);
        if (p.z > 1) return false;
        bounds.minX = Math.min(bounds.minX, p.x);
        bounds.maxX = Math.max(bounds.maxX, p.x);
        bounds.minY = Math.min(bounds.minY, p.y);
        bounds.maxY = Math.max(bounds.maxY, p.y);
      }
      return Math.max(-bounds.minX, bounds.maxX, -bounds.minY, bounds.maxY) <= FIT_MARGIN;
    };
    const fitDistance = () => {
      let near = 1,
        far = 200;
      for (let step = 0; step < 24; step++) {
        const middle = (near + far) / 2;
        if (project(middle)) far = middle;
        else near = middle;
      }
      project(far);
      return far;
    };
    let distance = fitDistance();
    // Move the target by the drawing's off-centre amount (NDC → world units at the target's depth).
    const halfHeight = distance * Math.tan(THREE.MathUtils.degToRad(camera.fov / 2));
    const right = new THREE.Vector3().setFromMatrixColumn(camera.matrixWorld, 0);
    const up = new THREE.Vector3().setFromMatrixColumn(camera.matrixWorld, 1);
    this.home.target
      .addScaledVector(right, ((bounds.minX + bounds.maxX) / 2) * halfHeight * camera.aspect)
      .addScaledVector(up, ((bounds.minY + bounds.maxY) / 2) * halfHeight);
    distance = fitDistance();
    this.home.position.copy(this.home.target).addScaledVector(HOME_DIRECTION, distance);
    if (!this.userMoved) {
      this.camera.position.copy(this.home.position);
      this.controls.target.copy(this.home.target);
    }
  }

  requestRender() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(this.frame);
  }

  frame(time) {
    this.frameRequested = false;
    this.onBeforeRender(time);
    let moving = this.stepReset(time);
    moving = this.controls.update() || moving;
    this.renderer.render(this.scene, this.camera);
    this.placeLabels();
    this.onAfterRender(time);
    if (moving) this.requestRender();
  }

  /** Look from `position` at `target` (xyz arrays, e.g. from a shared link); Reset view still goes home. */
  setView(position, target) {
    this.userMoved = true;
    this.reset = null;
    this.camera.position.fromArray(position);
    this.controls.target.fromArray(target);
    this.requestRender();
  }

  /** Turn the camera slowly around the network (the kiosk's attract loop), or stop. */
  setAutoRotate(on) {
    this.controls.autoRotate = on;
    this.controls.autoRotateSpeed = 0.8; // a turn every 75 s
    this.requestRender();
  }

  /** Glide back to the home view. */
  resetView() {
    this.glide(this.home.position, this.home.target, RESET_MS, true);
  }

  /**
   * Fly the camera to look from `position` at `target` (xyz arrays) in `ms` (the guided tour);
   * with prefers-reduced-motion it jumps there at once.
   */
  flyTo(position, target, ms = 800) {
    this.userMoved = true;
    this.glide(new THREE.Vector3().fromArray(position), new THREE.Vector3().fromArray(target), ms, false);
  }

  glide(toPosition, toTarget, ms, home) {
    const still = globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    this.reset = {
      start: null,
      ms: still ? 0 : ms,
      home,
      toPosition,
      toTarget,
      fromPosition: this.camera.position.clone(),
      fromTarget: this.controls.target.clone(),
    };
    this.canvas.dataset.gliding = "true"; // tests wait for the camera to arrive
    this.requestRender();
  }

  stepReset(time) {
    if (!this.reset) return false;
    const { reset } = this;
    reset.start ??= time;
    const t = reset.ms > 0 ? Math.min(1, (time - reset.start) / reset.ms) : 1;
    const ease = t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2;
    this.camera.position.lerpVectors(reset.fromPosition, reset.toPosition, ease);
    this.controls.target.lerpVectors(reset.fromTarget, reset.toTarget, ease);
    if (t === 1) {
      this.reset = null;
      delete this.canvas.dataset.gliding;
      if (reset.home) this.userMoved = false;
    }
    return true;
  }

  /** An HTML label that follows a 3D point; text is set with textContent only. */
  addLabel(text, x, y, z, className) {
    const element = document.createElement("span");
    element.className = `net-label ${className}`;
    element.textContent = text;
    this.labelLayer.append(element);
    this.labels.push({ element, position: new THREE.Vector3(x, y, z) });
    this.labelView.fill(Number.NaN);
    return element;
  }

  /** Labels follow the camera; a frame that moved neither the camera nor the canvas leaves them (and the layout) alone. */
  placeLabels() {
    const { width, height } = this.size;
    const view = this.labelView; // what the labels were placed for: camera world and projection matrices, canvas size
    const world = this.camera.matrixWorld.elements,
      projection = this.camera.projectionMatrix.elements;
    let same = view[32] === width && view[33] === height;
    for (let i = 0; i < 16 && same; i++) same = view[i] === world[i] && view[16 + i] === projection[i];
    if (same) return;
    view.set(world);
    view.set(projection, 16);
    view[32] = width;
    view[33] = height;
    for (const { element, position } of this.labels) {
      this.scratch.copy(position).project(this.camera);
      const visible = this.scratch.z < 1;
      element.style.visibility = visible ? "visible" : "hidden";
      if (!visible) continue;
      const x = ((this.scratch.x + 1) / 2) * width,
        y = ((1 - this.scratch.y) / 2) * height;
      element.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) translate(-50%, -50%)`;
    }
  }

  /** The nearest intersection ({ object, uv, … }) of the ray under the pointer with `objects`, or null. */
  raycast(clientX, clientY, objects) {
    const rect = this.canvas.getBoundingClientRect();
    this.pointer.set(((clientX - rect.left) / rect.width) * 2 - 1, 1 - ((clientY - rect.top) / rect.height) * 2);
    this.camera.updateMatrixWorld();
    this.raycaster.setFromCamera(this.pointer, this.camera);
    return this.raycaster.intersectObjects(objects, false)[0] ?? null;
  }

  /** Index of the neuron (positions: Float32Array xyz) nearest to the pointer within `pixels`, or -1. */
  pick(clientX, clientY, positions, pixels = 14) {
    const rect = this.canvas.getBoundingClientRect();
    const px = clientX - rect.left,
      py = clientY - rect.top;
    this.camera.updateMatrixWorld();
    const m = this.projector.multiplyMatrices(this.camera.projectionMatrix, this.camera.matrixWorldInverse).elements;
    let best = -1,
      bestDistance = pixels * pixels,
      bestDepth = Infinity;
    for (let i = 0; i < positions.length / 3; i++) {
      const x = positions[i * 3],
        y = positions[i * 3 + 1],
        z = positions[i * 3 + 2];
      const w = m[3] * x + m[7] * y + m[11] * z + m[15];
      if (w <= 0) continue;
      const sx = (((m[0] * x + m[4] * y + m[8] * z + m[12]) / w + 1) / 2) * rect.width;
      const sy = ((1 - (m[1] * x + m[5] * y + m[9] * z + m[13]) / w) / 2) * rect.height;
      const d = (sx - px) ** 2 + (sy - py) ** 2;
      if (d < bestDistance || (d === bestDistance && w < bestDepth)) {
        best = i;
        bestDistance = d;
        bestDepth = w;
      }
    }
    return best;
  }
}
