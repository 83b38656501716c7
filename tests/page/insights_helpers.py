"""Helpers for the insight views' browser tests on the real page: canvas statistics
counted in the browser, tabs, the digit the page is showing, and control overlaps."""

from __future__ import annotations

import numpy as np

MAP_BACKGROUND = (13, 18, 24)  # #0d1218, the latent map's backdrop


def two_frames(page) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def visible_box(page, selector: str) -> dict:
    """The element's bounding box once it is scrolled into view (the right column scrolls)."""
    page.locator(selector).scroll_into_view_if_needed()
    return page.locator(selector).bounding_box()


def show_tab(page, label: str) -> None:
    """Click a tab and wait two frames: its view sizes its canvas when it becomes visible."""
    page.click(f".ins-tab:has-text('{label}')")
    two_frames(page)


def canvas_stats(page, selector: str, background: tuple[int, int, int] = (0, 0, 0)) -> dict:
    """Counted in the browser (a canvas is ~400k numbers): pixels clearly unlike the view's
    background, pixels with any opacity, and a checksum that changes when the drawing does."""
    return page.eval_on_selector(
        selector,
        """(canvas, [r, g, b]) => {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const stats = { inked: 0, opaque: 0, checksum: 0 };
        for (let i = 0; i < data.length; i += 4) {
            if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) > 60) stats.inked++;
            if (data[i + 3] > 0) stats.opaque++;
            stats.checksum = (stats.checksum * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) % 1000000007;
        }
        return stats;
    }""",
        list(background),
    )


def shown_digit(page) -> np.ndarray:
    """The 28×28 input the network is fed, read back from the page's #preview canvas (0..255)."""
    return np.array(
        page.eval_on_selector(
            "#preview",
            """(canvas) => {
        const data = canvas.getContext('2d').getImageData(0, 0, 28, 28).data;
        return Array.from({ length: 784 }, (_, i) => data[4 * i]);
    }""",
        ),
        dtype=np.uint8,
    ).reshape(28, 28)


def coloured_dot(page) -> dict:
    """A pixel of a class-coloured dot on the latent map, away from the edges, in CSS px."""
    return page.eval_on_selector(
        ".ins-latent-canvas",
        """(canvas) => {
        const ratio = canvas.width / canvas.clientWidth;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const centre = canvas.width / 2;
        let best = null;
        for (let y = 8; y < canvas.height - 8; y++) for (let x = 8; x < canvas.width - 8; x++) {
            const i = 4 * (y * canvas.width + x);
            const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
            if (Math.max(r, g, b) - Math.min(r, g, b) < 90) continue; // grey axes and backdrop
            const distance = (x - centre) ** 2 + (y - centre) ** 2;
            if (!best || distance < best.distance) best = { x: x / ratio, y: y / ratio, distance };
        }
        return best;
    }""",
    )


def overlapping_controls(page) -> list[str]:
    """Pairs of visible, clickable controls whose boxes overlap (clipped by scrolling
    ancestors); a control inside another one, and the 3D canvas under its overlay, are fine."""
    return page.evaluate("""() => {
        const clickable = (el) => {
            const style = getComputedStyle(el);
            return el.id !== 'network' && !el.closest('[hidden]') && style.visibility !== 'hidden'
                && style.pointerEvents !== 'none' && Number(style.opacity) > 0;
        };
        const visibleBox = (el) => {
            let { left, top, right, bottom } = el.getBoundingClientRect();
            for (let a = el.parentElement; a; a = a.parentElement) {
                const style = getComputedStyle(a);
                if (!/(auto|scroll|hidden)/.test(style.overflowX + style.overflowY) || a === document.body) continue;
                const clip = a.getBoundingClientRect();
                left = Math.max(left, clip.left); top = Math.max(top, clip.top);
                right = Math.min(right, clip.right); bottom = Math.min(bottom, clip.bottom);
            }
            return right - left > 1 && bottom - top > 1 ? { left, top, right, bottom } : null;
        };
        const name = (el) => el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className}:${el.textContent.trim().slice(0, 12)}`;
        const controls = [...document.querySelectorAll('button, input, canvas, select, label, [role=tab]')]
            .filter(clickable).map((el) => ({ el, box: visibleBox(el) })).filter((c) => c.box);
        const problems = [];
        for (let i = 0; i < controls.length; i++) for (let j = i + 1; j < controls.length; j++) {
            const [a, b] = [controls[i], controls[j]];
            if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
            const width = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
            const height = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
            if (width > 1 && height > 1) problems.push(`${name(a.el)} overlaps ${name(b.el)}`);
        }
        return problems;
    }""")
