// The frame-rate guard on the page (decisions: model/frame-guard.js): every rendered frame is
// reported; when the guard changes the detail level, the network view shows fewer connections
// per neuron and the stage renders fewer pixels, #network[data-detail-level] says which level,
// and a quiet status line in the settings panel says why.
import { t } from "../i18n/i18n.js";
import { FrameGuard } from "../model/frame-guard.js";

export class FrameGuardView {
  /** enabled: false leaves the detail alone (automated browsers unless ?min-fps= asks for the guard). */
  constructor(stage, network, status, { minFps, enabled, onChange }) {
    this.stage = stage;
    this.network = network;
    this.status = status;
    this.onChange = onChange;
    this.guard = enabled ? new FrameGuard({ minFps }) : null;
    stage.canvas.dataset.detailLevel = "0";
  }

  frame(time) {
    if (!this.guard?.frame(time)) return;
    const { level, detail, lastFps } = this.guard;
    this.network.topKCap = detail.topK;
    this.stage.setPixelScale(detail.pixelScale);
    this.stage.canvas.dataset.detailLevel = String(level);
    this.status.textContent = level > 0 ? t("frameGuard.lowered", { fps: Math.round(lastFps) }) : "";
    this.onChange();
  }
}
