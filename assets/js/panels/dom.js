// Building DOM without innerHTML: data only ever reaches the page as text nodes.

/**
 * el("li", {class: "x", "aria-label": "…"}, [child, "text"]) → HTMLLIElement.
 * Strings among the children become text nodes; attributes are set with setAttribute.
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(typeof child === "string" ? document.createTextNode(child) : child);
  return element;
}
