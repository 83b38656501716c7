// Read as text by benchmarks/page_benchmark.py and tests/page/test_page_frame_guard.py and run in
// the page: draws circles on the pad, one pointer move per animation frame, for `seconds`;
// resolves to the frames per second.
async (seconds) => {
  const pad = document.querySelector('#draw-pad');
  const rect = pad.getBoundingClientRect();
  const at = (t) => ({ pointerId: 1, pointerType: 'mouse', isPrimary: true, bubbles: true, buttons: 1, button: -1,
    clientX: rect.x + rect.width * (0.5 + 0.3 * Math.cos(t)), clientY: rect.y + rect.height * (0.5 + 0.3 * Math.sin(t)) });
  pad.dispatchEvent(new PointerEvent('pointerdown', { ...at(0), button: 0 }));
  let frames = 0, t = 0;
  const start = performance.now();
  await new Promise((done) => {
    const tick = () => {
      frames++;
      t += 0.15;
      pad.dispatchEvent(new PointerEvent('pointermove', at(t)));
      if (performance.now() - start < seconds * 1000) requestAnimationFrame(tick); else done();
    };
    requestAnimationFrame(tick);
  });
  pad.dispatchEvent(new PointerEvent('pointerup', at(t)));
  return frames / ((performance.now() - start) / 1000);
}
