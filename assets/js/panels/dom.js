// Building DOM without innerHTML: data only ever reaches the page as text nodes.

/**
 * el("li", {class: "x", "aria-label": "…"}, [child, "text"]) → HTMLLIElement.
 * Strings among the children become text nodes; attributes are set with setAttribute
 * (and `style` through CSSOM).
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    // Inline style attributes are refused by the page's Content-Security-Policy; CSSOM is not.
    if (name === "style") element.style.cssText = value;
    else element.setAttribute(name, value);
  }
  for (const child of children) element.append(typeof child === "string" ? document.createTextNode(child) : child);
  return element;
}
